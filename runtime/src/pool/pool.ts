import type { ProgressSink } from '../context.ts';
import type { PoolKind, PoolStats, SerializedError, TaskProgress } from '../protocol.ts';

/** What a pool needs to run one task. */
export interface Invocation {
  id: string;
  task: string;
  args: unknown[];
  queue: string;
  retries: number;
  /** Soft limit: the task's AbortSignal fires. */
  softTimeLimitMs?: number;
  /** Hard limit: the thread or child is killed and replaced (prefork, threads only). */
  timeLimitMs?: number;
}

export interface ExecutionOutcome {
  ok: boolean;
  result?: unknown;
  error?: SerializedError;
  /** The task asked to be retried (context().retry()). */
  retry?: { countdownMs?: number; reason: string };
  /** Set when the executor itself failed: killed at the hard limit, child died, memory cap. */
  crash?: 'time-limit' | 'died' | 'memory';
  wallMs: number;
  cpuMs: number;
  pid: number;
  threadId: number;
  startedAt: number;
  finishedAt: number;
  /** The task's last progress report when the interval held it back: it travels here, so it comes before the end. */
  progress?: TaskProgress;
}

/** An execution pool. One file per pool: prefork.ts, threads.ts, solo.ts, async.ts. */
export interface Pool {
  readonly kind: PoolKind;
  /** Tasks it may run at once now. */
  readonly concurrency: number;
  /**
   * Tasks it takes now beyond its concurrency, queued where they run back to back (prefork: tasks
   * measured short, behind a child's running one). Absent: none. The worker's prefetch is on top.
   */
  readonly pipelineRoom?: number;
  /**
   * Sets how many tasks may run at once (`control pool grow|shrink`): prefork forks or retires
   * children, threads start a pool of the new size, async takes more or fewer waits. A shrink lets
   * running tasks finish. Resolves once the new size serves; rejects for solo (one task at a time).
   */
  resize(size: number): Promise<void>;
  /** What it holds, for `inspect stats`. */
  stats(): PoolStats;
  start(): Promise<void>;
  /** Runs one invocation; resolves (never rejects) with its outcome. */
  run(invocation: Invocation, signal?: AbortSignal): Promise<ExecutionOutcome>;
  /**
   * Revoke of the running task `id`: fires its signal with `reason`, or with `terminate` kills the
   * thread or child running it and starts another (prefork, threads; solo and async cannot pre-empt
   * JavaScript, so they only fire the signal). False when the task does not run here.
   */
  abort(id: string, reason: Error, terminate: boolean): boolean;
  /** graceful: wait for running tasks; otherwise kill them now. */
  close(options: { graceful: boolean }): Promise<void>;
}

/** Where pools report what users should know (Logger from ../logger.ts fits). */
export interface PoolLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PoolOptions {
  /** Defaults: prefork/threads os.availableParallelism(), async 100, solo 1 (fixed). */
  concurrency?: number;
  /**
   * The module each child/thread (or this process, for solo/async) imports so the tasks register.
   * Optional for solo/async: without it they run the tasks already registered in this process.
   */
  appPath?: string;
  /** Recycle a child or thread after this many tasks (prefork, threads). */
  maxTasksPerChild?: number;
  /** Recycle a child or thread whose memory exceeds this many MB (prefork: rss after a task; threads: heap limit). */
  maxMemoryPerChild?: number;
  /** Where running tasks' progress reports go (context().progress), from this process, a child or a thread. */
  onProgress?: ProgressSink;
  log?: PoolLog;
}
