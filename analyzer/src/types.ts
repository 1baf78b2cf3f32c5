// The analysis contract: produced by the analyzer, consumed by the language server, the
// `tasklane analyze` CLI and (through the `tasklane/tasks` request) the extension's sidebar.
import type { PoolKind } from 'tasklane/contract';
import type { Cost } from './knowledge/effects.ts';

export type { Cost };

export type TaskKind = 'cpu' | 'io' | 'mixed' | 'unknown';

export type EvidenceKind = 'io' | 'cpu' | 'blocking' | 'offloaded' | 'info';

export interface Evidence {
  kind: EvidenceKind;
  /** One sentence: what was seen and why it counts. */
  message: string;
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** How much it weighs in the verdict (absent on notes): cpu-heavy | cpu-moderate | cpu-trivial,
   *  wait-network | wait-disk | wait-child | wait-timer | wait-trivial, not-followed. */
  cost?: Cost;
}

export interface Range {
  file: string;
  /** 1-based line, 0-based column (as LSP columns). */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type ProblemCode =
  | 'blocking-on-async'       // blocking task routed to an async worker
  | 'pool-mismatch'           // routed to a worker whose pool does not fit the verdict
  | 'unserved-queue'          // no worker in the config serves the task's queue
  | 'unpreemptible-time-limit'// CPU task with a hard time limit on async/solo
  | 'sync-io'                 // a *Sync call with an async replacement (quick fix available)
  | 'config-error';           // tasklane.config.json invalid

export interface Problem {
  code: ProblemCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: Range;
  task?: string;
  /** Data a quick fix needs (e.g. the suggested queue, the replacement text). */
  data?: Record<string, unknown>;
}

/** A handler parameter, for checking arguments typed in the editor (extension's Run). */
export interface Parameter {
  name: string;
  /** The declared type as written, when it is. */
  type?: string;
  optional?: boolean;
  rest?: boolean;
}

/** A Redis connection as a BullMQ Worker's options write it, when every field is a literal. */
export interface RedisConnection {
  url?: string;
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  tls?: boolean;
  /** The code sets a password; its value is never carried (the editor asks and keeps it in SecretStorage). */
  password?: boolean;
}

/** A BullMQ Worker as its code sets it up. */
export interface BullmqWorker {
  /** The queue name, when it is a literal the editor can add jobs to. */
  queue?: string;
  /** `concurrency` as written: a number, or the expression's text; absent means BullMQ's default 1. */
  concurrency?: number | string;
  sandboxed: boolean;
  useWorkerThreads: boolean;
  processorFile?: string;
  connection?: RedisConnection;
  /** Why `connection` could not be read, when the options have one. */
  connectionUnread?: string;
  /** The Worker is created at the top level of its file: running that file starts it. */
  startsWithFile: boolean;
}

export interface TaskAnalysis {
  /** Task name; for BullMQ, Bull and NestJS the queue name, `queue:job` for one job name of a queue. */
  name: string;
  /** 'nestjs': a NestJS `@Processor` on @nestjs/bullmq or @nestjs/bull. */
  framework: 'tasklane' | 'bullmq' | 'bull' | 'nestjs';
  /** What holds the task in the code: a variable, a class member or a function ("firstWorker", "Backups.worker"). */
  binding?: string;
  file: string;
  line: number;
  /** The whole `app.task(...)` / `new Worker(...)` / `queue.process(...)` call, or the NestJS class or method. */
  range: Range;
  kind: TaskKind;
  blocking: boolean;
  pool: PoolKind;
  concurrency: number;
  /** The suggested queue (a queue served by a fitting worker in the config, else by kind). */
  queue: string;
  /** The queue the task is routed to today (options > routes > "default"). */
  routedQueue: string;
  /** Tasklane: the pool of the config's worker that consumes routedQueue, when one does. */
  routedPool?: PoolKind;
  /** One line for a code lens: e.g. "CPU-bound · threads × 2 · queue cpu". */
  summary: string;
  /** Where the time goes, dominant cost first, for the hover: e.g.
   *  "mostly CPU: sharp resize ×4 (heavy); mkdir (trivial wait)". */
  breakdown: string;
  evidence: Evidence[];
  problems: Problem[];
  /** The handler's parameters, when the handler could be followed (Tasklane tasks). */
  parameters?: Parameter[];
  bullmq?: BullmqWorker;
}

/** A schedule declared in code (`app.schedule(name, { task, every | cron, … })`), as written. */
export interface ScheduleFound {
  name: string;
  /** The task's name (a variable holding `app.task(...)` is named by that task), else the code written. */
  task: string;
  every?: string | number;
  cron?: string;
  timezone?: string;
  queue?: string;
  /** Fields written as expressions the analysis cannot read. */
  computed?: Array<'every' | 'cron' | 'timezone' | 'queue'>;
  file: string;
  line: number;
}

/** The `tasklane analyze --json` document. */
export interface AnalyzeOutput {
  tasks: Array<Pick<TaskAnalysis, 'name' | 'file' | 'line' | 'kind' | 'blocking' | 'pool' | 'concurrency' | 'queue' | 'evidence'>>;
}

/**
 * The analyzer as the language server and the CLI use it. Incremental: `updateFile` re-analyses
 * the file and what imports it, not the workspace.
 */
export interface AnalysisService {
  /** Cold analysis of every task under the root. */
  analyzeAll(): TaskAnalysis[];
  /** New text of a file (an open editor buffer), or undefined to read it from disk again.
   *  Returns the absolute paths whose tasks or problems may have changed. */
  updateFile(file: string, text: string | undefined): string[];
  /** The file was deleted. Returns the affected paths. */
  removeFile(file: string): string[];
  tasks(): TaskAnalysis[];
  /** The schedules declared in code (`app.schedule(...)`) in the files analysed. */
  schedules(): ScheduleFound[];
  /** Problems to show in a file: task problems, sync-io calls, config errors (for tasklane.config.json). */
  problems(file: string): Problem[];
}
