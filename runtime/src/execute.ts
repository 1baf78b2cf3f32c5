// Runs one registered task by name: its context, the soft time limit, CPU-time measurement and
// error serialisation. Shared by every pool (in-process, in a prefork child, in a worker thread)
// and by task.call(), so a task behaves the same wherever it runs.
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { retryRequestOf, RunContext, runInContext } from './context.ts';
import type { ExecutionOutcome, Invocation } from './pool/pool.ts';
import type { SerializedError, TaskProgress } from './protocol.ts';
import { findTask, taskNames } from './registry.ts';

/** Measures the CPU time of one execution: start() returns a function that stops and returns ms. */
export interface CpuMeter {
  /** Called right before the handler is called. */
  start(ctx: RunContext): () => number;
  /** The handler's first synchronous slice has returned (meters that charge slices to tasks). */
  yielded?(): void;
}

/** process.cpuUsage() deltas: right when one task at a time runs in the process (solo, prefork). */
export const processCpuMeter: CpuMeter = {
  start() {
    const before = process.cpuUsage();
    return () => {
      const { user, system } = process.cpuUsage(before);
      return (user + system) / 1000;
    };
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

// This is every task's path, so it makes no closures, no spreads and no AbortController unless the
// task asks for its signal: at tens of thousands of no-op tasks a second they are what costs.
export async function execute(invocation: Invocation, options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const definition = findTask(invocation.task);
  if (!definition) {
    const known = taskNames();
    const error = { name: 'UnknownTaskError', message: `task "${invocation.task}" is not registered here (registered: ${known.length ? known.join(', ') : 'none'}): check the name and that the app module registers it` };
    return outcomeOf(false, undefined, error, undefined, 0, t0, 0, startedAt, undefined);
  }

  const ctx = options.context ?? new RunContext(invocation);
  const signal = options.signal;
  const forward = signal && (() => ctx.abort(signal.reason));
  if (signal?.aborted) ctx.abort(signal.reason);
  else if (forward) signal.addEventListener('abort', forward, { once: true });
  const limit = invocation.softTimeLimitMs;
  const timer = limit === undefined ? undefined : setTimeout(abortAtSoftLimit, limit, ctx, limit);

  const meter = options.cpu ?? processCpuMeter;
  const stop = meter.start(ctx);
  try {
    let pending: unknown;
    try {
      pending = runInContext(ctx, definition.handler, invocation.args);
    } finally {
      meter.yielded?.();
    }
    const result = toJson(invocation.task, await pending);
    return outcomeOf(true, result, undefined, undefined, stop(), t0, ctx.ranUntil, startedAt, ctx.takeProgress());
  } catch (error) {
    return outcomeOf(false, undefined, serializeError(error), retryRequestOf(error), stop(), t0, ctx.ranUntil, startedAt, ctx.takeProgress());
  } finally {
    clearTimeout(timer);
    if (forward) signal.removeEventListener('abort', forward);
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
