// The running task's context, found through AsyncLocalStorage so a handler can call context()
// anywhere below it (helpers, after awaits) without threading a parameter through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { toMs, type Duration } from './duration.ts';

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
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;

  readonly id: string;
  readonly task: string;
  readonly queue: string;
  readonly retries: number;

  /** From the invocation it runs (any object with these fields). */
  constructor({ id, task, queue, retries }: Pick<TaskContext, 'id' | 'task' | 'queue' | 'retries'>) {
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
