// Runs one registered task by name: its context, the soft time limit, CPU-time measurement and
// error serialisation. Shared by every pool (in-process, in a prefork child, in a worker thread)
// and by task.call(), so a task behaves the same wherever it runs.
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { retryRequestOf, RunContext, runInContext } from './context.ts';
import type { ExecutionOutcome, Invocation } from './pool/pool.ts';
import type { SerializedError, TaskProgress } from './protocol.ts';
import { findTask, taskNames } from './registry.ts';

/**
 * Measures the CPU time of one execution: start() returns the reading that stop() is given back
 * (kept by the execution, so no meter makes a closure per task).
 */
export interface CpuMeter<Reading = unknown> {
  /** Called right before the handler is called. */
  start(ctx: RunContext): Reading;
  /** The CPU ms of the execution started with `reading`. */
  stop(ctx: RunContext, reading: Reading): number;
  /** The handler's first synchronous slice has returned (meters that charge slices to tasks). */
  yielded?(): void;
}

/** process.cpuUsage() deltas: right when one task at a time runs in the process (solo, prefork). */
export const processCpuMeter: CpuMeter<NodeJS.CpuUsage> = {
  start: () => process.cpuUsage(),
  stop(_ctx, before) {
    const { user, system } = process.cpuUsage(before);
    return (user + system) / 1000;
  },
};

export class SoftTimeLimitExceeded extends Error {
  constructor(limitMs: number) {
    super(`soft time limit (${limitMs} ms) exceeded`);
    this.name = 'SoftTimeLimitExceeded';
  }
}

export interface ExecuteOptions {
  /** Aborts the task's signal (revoke). */
  signal?: AbortSignal;
  /** The execution's context, when the caller keeps it to abort the task (pools: cold close, hard limit). */
  context?: RunContext;
  cpu?: CpuMeter;
  /** Called with the context as the execution ends, before its outcome is given. */
  ended?: (ctx: RunContext) => void;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message, stack } = error as Record<string, unknown>;
    return { name: String(name ?? 'Error'), message: String(message), stack: typeof stack === 'string' ? stack : undefined };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : `non-error value thrown: ${safeJson(error)}` };
}

function safeJson(value: unknown): string {
  try { return JSON.stringify(value) ?? String(value); } catch { return String(value); }
}

/** Results travel as JSON whatever the pool, so normalise here: a Date is a string in every pool. */
function toJson(task: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`task "${task}" returned a value that is not JSON (${(error as Error).message}): return plain objects, arrays, strings, numbers, booleans or null`);
  }
  if (text === undefined) {
    throw new TypeError(`task "${task}" returned a ${typeof value}, which is not JSON: return plain objects, arrays, strings, numbers, booleans or null`);
  }
  return JSON.parse(text);
}

// This is every task's path, so it makes no spreads and no AbortController unless the task asks
// for its signal: at tens of thousands of no-op tasks a second they are what costs. Nor is it an
// async function: a task's promise is followed by one Execution (a few fields, two small handlers)
// rather than a suspended async frame held for as long as the task waits, which at thousands of
// concurrent waits is memory per task; a task that returns a value is answered in the same turn.
export function execute(invocation: Invocation, options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const definition = findTask(invocation.task);
  if (!definition) {
    const known = taskNames();
    const error = { name: 'UnknownTaskError', message: `task "${invocation.task}" is not registered here (registered: ${known.length ? known.join(', ') : 'none'}): check the name and that the app module registers it` };
    options.ended?.(options.context ?? new RunContext(invocation));
    return Promise.resolve(outcomeOf(false, undefined, error, undefined, 0, t0, 0, startedAt, undefined));
  }
  const execution = new Execution(invocation, options, startedAt, t0);
  let pending: unknown;
  let later: boolean;
  try {
    pending = runInContext(execution.ctx, definition.handler, invocation.args);
    later = isThenable(pending); // a `then` getter may throw too
  } catch (error) {
    execution.yielded();
    return Promise.resolve(execution.failed(error));
  }
  execution.yielded();
  if (!later) return Promise.resolve(execution.returned(pending));
  return Promise.resolve(pending).then((value) => execution.returned(value), (error) => execution.failed(error));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** One execution from the handler's call to its outcome: its context, limits, signal and CPU meter. */
class Execution {
  readonly ctx: RunContext;
  private readonly signal: AbortSignal | undefined;
  private readonly forward: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly meter: CpuMeter;
  private readonly reading: unknown;
  private readonly ended: ((ctx: RunContext) => void) | undefined;

  constructor(private readonly invocation: Invocation, options: ExecuteOptions, private readonly startedAt: number, private readonly t0: number) {
    const ctx = (this.ctx = options.context ?? new RunContext(invocation));
    const signal = (this.signal = options.signal);
    if (signal?.aborted) ctx.abort(signal.reason);
    else if (signal) {
      this.forward = () => ctx.abort(signal.reason);
      signal.addEventListener('abort', this.forward, { once: true });
    }
    const limit = invocation.softTimeLimitMs;
    this.timer = limit === undefined ? undefined : setTimeout(abortAtSoftLimit, limit, ctx, limit);
    this.meter = options.cpu ?? processCpuMeter;
    this.ended = options.ended;
    this.reading = this.meter.start(ctx);
  }

  /** The handler's first synchronous slice has returned (or thrown). */
  yielded(): void {
    this.meter.yielded?.();
  }

  /** Results travel as JSON: one that is not fails the task. */
  returned(value: unknown): ExecutionOutcome {
    let result: unknown;
    try {
      result = toJson(this.invocation.task, value);
    } catch (error) {
      return this.failed(error);
    }
    return this.end(true, result, undefined, undefined);
  }

  failed(error: unknown): ExecutionOutcome {
    return this.end(false, undefined, serializeError(error), retryRequestOf(error));
  }

  private end(ok: boolean, result: unknown, error: SerializedError | undefined, retry: ExecutionOutcome['retry']): ExecutionOutcome {
    const cpuMs = this.meter.stop(this.ctx, this.reading);
    clearTimeout(this.timer);
    if (this.forward) this.signal!.removeEventListener('abort', this.forward);
    this.ended?.(this.ctx);
    return outcomeOf(ok, result, error, retry, cpuMs, this.t0, this.ctx.ranUntil, this.startedAt, this.ctx.takeProgress());
  }
}

function abortAtSoftLimit(ctx: RunContext, limitMs: number): void {
  ctx.abort(new SoftTimeLimitExceeded(limitMs));
}

/**
 * Every outcome has the same fields in the same order (one object shape for the JIT). `ranUntil`:
 * the end of the task's last slice where a slice meter knows it (read after stop()), else 0: now.
 */
function outcomeOf(
  ok: boolean, result: unknown, error: SerializedError | undefined, retry: ExecutionOutcome['retry'],
  cpuMs: number, t0: number, ranUntil: number, startedAt: number, progress: TaskProgress | undefined,
): ExecutionOutcome {
  return { ok, result, error, retry, cpuMs: toMicros(cpuMs), wallMs: toMicros((ranUntil || performance.now()) - t0), pid: process.pid, threadId, startedAt, finishedAt: Date.now(), progress };
}

/** Milliseconds to the microsecond: what the clocks resolve, and short in every result's JSON. */
function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
