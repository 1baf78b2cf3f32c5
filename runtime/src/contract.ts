// The task contract, in one place: the defaults every part of Tasklane shares and sending a task
// by name. applyAsync, `tasklane call`, the editor's Run and the analyzer's suggestions all use
// these, so a worker, a producer and a suggestion can never disagree on them.
import type { Broker } from './broker/broker.ts';
import type { TaskMessage } from './protocol.ts';
import { buildMessage, type ApplyOptions } from './message.ts';
import type { TaskOptions } from './registry.ts';
import { AsyncResult } from './result.ts';
import { routeTask, type Routes } from './routing.ts';

export { DEFAULT_QUEUE, matchRoute, routeTask, type Routes } from './routing.ts';
export { DEFAULT_BROKER } from './broker/defaults.ts';
export { defaultConcurrency, defaultPrefetch } from './pool/defaults.ts';
export { formatMs } from './logger.ts';
export { buildMessage, type ApplyOptions, type Instant } from './message.ts';
export { MEASURED_RUNS_KEPT, summarizeRuns, type MeasuredSummary } from './measured.ts';
export type { PoolKind, RunCost, TaskRuns, TaskMessage, TaskResult, TaskState, TaskEvent, TaskProgress, WorkerInfo, SerializedError } from './protocol.ts';

export interface SendOptions {
  /** The task's own options (its queue, expiry), when the sender knows its definition. */
  taskOptions?: TaskOptions;
  /** The config's routes (queue precedence: apply.queue > taskOptions.queue > routes > "default"). */
  routes?: Routes;
  /** Per-send options: queue, countdown, eta, expires, priority, id. */
  apply?: ApplyOptions;
}

export interface SentTask<T> {
  /** What was published (id, queue, eta, expiry). */
  message: TaskMessage;
  /** The handle to wait on. */
  result: AsyncResult<T>;
}

/**
 * Sends task `name` with JSON `args` through `broker`: routes it, builds and checks the message,
 * publishes it. Resolves once the broker has it.
 */
export async function sendTask<T = unknown>(broker: Broker, name: string, args: unknown, options: SendOptions = {}): Promise<SentTask<T>> {
  const { taskOptions = {}, routes, apply = {} } = options;
  const queue = routeTask(name, { applyQueue: apply.queue, taskQueue: taskOptions.queue, routes });
  const message = buildMessage(name, args, queue, taskOptions, apply);
  await broker.publish(message);
  return { message, result: new AsyncResult<T>(message.id, name, async () => broker) };
}

/**
 * Revokes a task by id, as AsyncResult.revoke (`tasklane revoke`, the editor's Runs view): a waiting
 * task never runs; a running one has its signal aborted, or with `terminate` its thread or child
 * killed (prefork, threads). Throws when it has already finished.
 */
export function revokeTask(broker: Broker, id: string, options: { terminate?: boolean } = {}): Promise<void> {
  return new AsyncResult(id, '?', async () => broker).revoke(options);
}
