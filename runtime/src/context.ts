// The running task's context, found through AsyncLocalStorage so a handler can call context()
// anywhere below it (helpers, after awaits) without threading a parameter through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { toMs, type Duration } from './duration.ts';
import type { TaskProgress } from './protocol.ts';

/** Progress reports leave a task at most this often; the last one is always delivered. */
export const PROGRESS_INTERVAL_MS = 100;

/** Where a task's progress goes: the worker (directly, or over a child's IPC or a thread's channel). */
export type ProgressSink = (id: string, progress: TaskProgress) => void;

export interface TaskContext {
  id: string;
  task: string;
  queue: string;
  /** How many times this task has been retried so far (0 on the first attempt). */
  retries: number;
  /** Aborts at the soft time limit, on revoke and on a cold shutdown. */
  signal: AbortSignal;
  /** Ends this attempt and asks the worker to run the task again later. */
  retry(options?: { countdown?: Duration; reason?: string }): never;
  /**
   * Reports how far the task got (result.onProgress(), the `task-progress` event): `done` units of
   * `total` when known, with any JSON `meta`. Cheap to call often: at most one report leaves every
   * 100 ms, and the last one always does, before the task's end.
   */
  progress(done: number, total?: number, meta?: unknown): void;
}

const RETRY = Symbol.for('tasklane.retry');

/** Thrown by context().retry(); recognised by its brand, not its class, across runtime copies. */
export interface RetryRequest extends Error {
  [RETRY]: { countdownMs?: number; reason: string };
}

export function retryRequestOf(value: unknown): { countdownMs?: number; reason: string } | undefined {
  return typeof value === 'object' && value !== null && RETRY in value
    ? (value as RetryRequest)[RETRY]
    : undefined;
}

// On globalThis for the same reason as the registry: the task module may import a second copy
// of the runtime (its own `tasklane`), and its context() must see the store this copy fills.
const KEY = Symbol.for('tasklane.context');
const storage: AsyncLocalStorage<RunContext> = ((globalThis as Record<symbol, unknown>)[KEY] as AsyncLocalStorage<RunContext> | undefined)
  ?? ((globalThis as Record<symbol, unknown>)[KEY] = new AsyncLocalStorage<RunContext>());

export function context(): TaskContext {
  const current = storage.getStore();
  if (!current) {
    throw new Error('context() was called outside a running task: call it inside the handler passed to app.task(), or in code the handler calls');
  }
  return current;
}

/** The context of the task running here, or undefined outside a task (no throw: for accounting). */
export function currentContext(): RunContext | undefined {
  return storage.getStore();
}

/**
 * The context of one execution. Its AbortController is made only when the task looks at `signal`
 * (most never do): an abort before that is remembered and the signal is born aborted.
 */
export class RunContext implements TaskContext {
  /** CPU time charged to this execution by the async pool's slice meter (pool/async-cpu.ts). */
  cpuMs = 0;
  /**
   * The slice meter: when this execution's last synchronous slice ended (performance.now()). Its
   * wall time ends there: after it the task only waits for the loop to run its caller's
   * continuation, behind the other tasks the pool started in the same turn. 0 with other meters.
   */
  ranUntil = 0;
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;
  private progressSentAt = 0;
  private progressDue: TaskProgress | undefined;
  private progressTimer: NodeJS.Timeout | undefined;

  readonly id: string;
  readonly task: string;
  readonly queue: string;
  readonly retries: number;

  /** From the invocation it runs (any object with these fields); progress goes to `sink` (none: task.call()). */
  constructor({ id, task, queue, retries }: Pick<TaskContext, 'id' | 'task' | 'queue' | 'retries'>, private readonly sink?: ProgressSink) {
    this.id = id;
    this.task = task;
    this.queue = queue;
    this.retries = retries;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Soft time limit, revoke, cold shutdown: the first reason wins. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  progress(done: number, total?: number, meta?: unknown): void {
    if (typeof done !== 'number' || !Number.isFinite(done) || done < 0) {
      throw new TypeError(`context().progress(done, total?, meta?): done must be a finite number >= 0, got ${String(done)}`);
    }
    if (total !== undefined && (typeof total !== 'number' || !Number.isFinite(total) || total <= 0)) {
      throw new TypeError(`context().progress(done, total?, meta?): total must be a finite number > 0 or left out, got ${String(total)}`);
    }
    const report: TaskProgress = { done };
    if (total !== undefined) report.total = total;
    if (meta !== undefined) {
      // Checked here, where the task can fix it, not where the event is sent.
      try {
        report.meta = JSON.parse(JSON.stringify(meta)) as unknown;
      } catch (error) {
        throw new TypeError(`context().progress(): meta must be JSON (${(error as Error).message})`);
      }
    }
    if (!this.sink) return;
    const wait = this.progressSentAt + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.sendProgress(report);
      return;
    }
    this.progressDue = report;
    this.progressTimer ??= setTimeout(() => {
      this.progressTimer = undefined;
      if (this.progressDue) this.sendProgress(this.progressDue);
    }, wait);
  }

  private sendProgress(report: TaskProgress): void {
    this.progressDue = undefined;
    this.progressSentAt = Date.now();
    this.sink!(this.id, report);
  }

  /** At the task's end: the report still held back by the interval, which travels with the outcome (so it comes before the end). */
  takeProgress(): TaskProgress | undefined {
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    const due = this.progressDue;
    this.progressDue = undefined;
    return due;
  }

  retry(options: { countdown?: Duration; reason?: string } = {}): never {
    const countdownMs = options.countdown === undefined ? undefined : toMs(options.countdown);
    const reason = options.reason ?? 'retry requested by the task';
    const request = new Error(`${this.task} asked to be retried: ${reason}`) as RetryRequest;
    request.name = 'Retry';
    request[RETRY] = { countdownMs, reason };
    throw request;
  }
}

/** Calls fn(...args) with ctx as the current context (no closure per call: this is per task). */
export function runInContext<A extends unknown[], T>(ctx: RunContext, fn: (...args: A) => T, args: A): T {
  return storage.run(ctx, fn, ...args);
}
