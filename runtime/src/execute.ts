// Runs one registered task by name: its context, the soft time limit, CPU-time measurement and
// error serialisation. Shared by every pool (in-process, in a prefork child, in a worker thread)
// and by task.call(), so a task behaves the same wherever it runs.
import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { createContext, retryRequestOf, runInContext, type TaskContext } from './context.ts';
import type { ExecutionOutcome, Invocation } from './pool/pool.ts';
import type { SerializedError } from './protocol.ts';
import { findTask, taskNames } from './registry.ts';

/** Measures the CPU time of one execution: start() returns a function that stops and returns ms. */
export interface CpuMeter {
  start(ctx: TaskContext): () => number;
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
  /** Aborts the task's signal (revoke, cold shutdown). */
  signal?: AbortSignal;
  /**
   * The controller of the task's signal, when the caller keeps one to abort it (pools): the soft
   * time limit aborts it too, and no second controller and forwarding listener are made per task.
   */
  controller?: AbortController;
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

export async function execute(invocation: Invocation, options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const finish = (fields: Pick<ExecutionOutcome, 'ok' | 'result' | 'error' | 'retry'>, cpuMs: number): ExecutionOutcome => ({
    ...fields, cpuMs, wallMs: performance.now() - t0, pid: process.pid, threadId, startedAt, finishedAt: Date.now(),
  });

  const definition = findTask(invocation.task);
  if (!definition) {
    const known = taskNames();
    return finish({
      ok: false,
      error: { name: 'UnknownTaskError', message: `task "${invocation.task}" is not registered here (registered: ${known.length ? known.join(', ') : 'none'}): check the name and that the app module registers it` },
    }, 0);
  }

  const controller = options.controller ?? new AbortController();
  const forward = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });
  const limit = invocation.softTimeLimitMs;
  const timer = limit === undefined ? undefined
    : setTimeout(() => controller.abort(new SoftTimeLimitExceeded(limit)), limit);

  const ctx = createContext({
    id: invocation.id, task: invocation.task, queue: invocation.queue, retries: invocation.retries, signal: controller.signal,
  });
  const stop = (options.cpu ?? processCpuMeter).start(ctx);
  try {
    // A resource of its own so the handler's first synchronous slice is seen by async_hooks
    // accounting (the async pool's CPU meter) like every later slice.
    const value = await runInContext(ctx, () => new AsyncResource('tasklane.task').runInAsyncScope(
      () => definition.handler(...invocation.args)));
    const result = toJson(invocation.task, value);
    return finish({ ok: true, result }, stop());
  } catch (error) {
    const retry = retryRequestOf(error);
    return finish({ ok: false, error: serializeError(error), ...(retry && { retry }) }, stop());
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forward);
  }
}
