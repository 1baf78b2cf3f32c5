// The wire contract between producers, brokers, workers and the editor. Everything here is plain
// JSON: arguments and results are never evaluated and never carry code.

export type PoolKind = 'prefork' | 'threads' | 'solo' | 'async';

/** A task invocation as it travels through a broker. */
export interface TaskMessage {
  id: string;
  task: string;
  args: unknown[];
  queue: string;
  /** How many times this task has been retried so far (0 on the first attempt). */
  retries: number;
  createdAt: number;
  /** Epoch ms before which the task must not start (countdown/eta). */
  eta?: number;
  /** Epoch ms after which the task is discarded as expired instead of run. */
  expires?: number;
  priority?: number;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type TaskState = 'PENDING' | 'RECEIVED' | 'STARTED' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

/** The stored outcome of a task, kept in the result backend with a TTL. */
export interface TaskResult {
  id: string;
  task: string;
  state: 'SUCCESS' | 'FAILURE' | 'REVOKED';
  result?: unknown;
  error?: SerializedError;
  /** Wall-clock time of the last attempt, ms. */
  wallMs?: number;
  /** CPU time of the last attempt, ms: cpuMs / wallMs is the measured CPU share. */
  cpuMs?: number;
  worker?: string;
  pool?: PoolKind;
  finishedAt: number;
}

/** One execution's measured cost (its CPU share is cpuMs / wallMs). */
export interface RunCost {
  cpuMs: number;
  wallMs: number;
}

/**
 * A task's recorded runs (Broker.recordRuns, measuredRuns): newest first when read back, oldest
 * first in a worker's batch. The broker keeps the most recent MEASURED_RUNS_KEPT per task.
 */
export interface TaskRuns {
  task: string;
  runs: RunCost[];
}

export type TaskEventType =
  | 'task-sent'
  | 'task-received'
  | 'task-started'
  | 'task-succeeded'
  | 'task-failed'
  | 'task-retried'
  | 'task-dead-lettered'
  | 'task-revoked'
  | 'task-progress'
  | 'worker-online'
  | 'worker-heartbeat'
  | 'worker-offline';

/** Events on the broker, for the editor's Runs view and `tasklane inspect`. */
export interface TaskEvent {
  type: TaskEventType;
  ts: number;
  worker?: string;
  id?: string;
  task?: string;
  queue?: string;
  args?: unknown[];
  result?: unknown;
  error?: SerializedError;
  wallMs?: number;
  cpuMs?: number;
  retries?: number;
  reason?: string;
  /**
   * task-progress: what the task reported through context().progress(done, total?, meta?), at most
   * one event per task every 100 ms (the last report is always sent, before the task's end event).
   * A bar shows done / total when total is set, else a count.
   */
  progress?: TaskProgress;
  /** Heartbeats carry the worker's snapshot. */
  info?: WorkerInfo;
}

/** A task's own account of how far it got (context().progress). */
export interface TaskProgress {
  /** Units done so far (>= 0). */
  done: number;
  /** Units in all, when the task knows it (> 0). */
  total?: number;
  /** Anything JSON the task adds (the current step, a file name). */
  meta?: unknown;
}

/**
 * A revocation (result.revoke(), `tasklane revoke`), kept on the broker with a TTL: workers check it
 * before they start a delivery and learn of it at once where the broker can push it.
 */
export interface Revocation {
  id: string;
  /** Kill the thread or child running it (prefork, threads) rather than only abort its signal. */
  terminate: boolean;
  ts: number;
}

/** What a live worker reports about itself (heartbeat payload, `inspect`). */
export interface WorkerInfo {
  name: string;
  hostname: string;
  pid: number;
  pool: PoolKind;
  concurrency: number;
  queues: string[];
  startedAt: number;
  processed: number;
  failed: number;
  active: Array<{ id: string; task: string; startedAt: number }>;
  registered: string[];
  /** What the pool holds (absent from workers older than this field). */
  poolStats?: PoolStats;
  /** Set when the worker autoscales: `concurrency` (the pool's size now) moves between these. */
  autoscale?: { min: number; max: number };
}

/** What each execution pool holds, as Celery's pools report it in `inspect stats`. */
export interface PoolStats {
  /** Tasks it may run at once now (grows and shrinks with `control pool grow|shrink`). */
  size: number;
  /** prefork: its children's pids. */
  processes?: number[];
  /** threads: its worker threads' ids. */
  threads?: number[];
  /** Children or threads replaced after maxTasksPerChild, maxMemoryPerChild, a crash or a hard time limit. */
  recycled?: number;
}

export type ControlCommand = 'ping' | 'rate-limit' | 'pool-grow' | 'pool-shrink' | 'shutdown';

/** Remote control, on the broker's control channel: a request to every worker (or those named), and each one's reply. */
export type ControlMessage =
  | { type: 'request'; id: string; command: ControlCommand; args: Array<string | number>; destination?: string[] }
  | { type: 'reply'; id: string; worker: string; ok: boolean; reply?: string; error?: string };

/** A message that could not be run, with why: undecodable, unknown task, delivered too often. */
export interface DeadLetter {
  queue: string;
  raw: string;
  reason: string;
  ts: number;
}
