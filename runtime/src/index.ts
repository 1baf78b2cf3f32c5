// The package entry: `import { createApp, context } from 'tasklane'`. Kept light (no pools, no
// worker) because task modules import it in every pool's children and threads.
import type { StartWorkerOptions, WorkerHandle } from './worker/start.ts';

export { createApp, type App, type AppOptions, type ScheduleOptions } from './app.ts';
export type { CatchUp, ScheduleDefinition, ScheduleSpec } from './schedule.ts';
export { context, type TaskContext } from './context.ts';
export { AsyncResult, TaskError, TimeoutError } from './result.ts';
export { PayloadTooLargeError } from './broker/codec.ts';
export type { Task, TaskResultOf } from './task.ts';
export type { ApplyOptions, Instant } from './message.ts';
export type { TaskOptions, Handler } from './registry.ts';
export type { Duration } from './duration.ts';
export type { PoolKind, TaskMessage, TaskResult, TaskState, TaskEvent, TaskProgress, WorkerInfo, SerializedError } from './protocol.ts';
export type { StartWorkerOptions, WorkerHandle, WorkerStats } from './worker/start.ts';
export type { AutoscaleOptions } from './worker/autoscale.ts';

/**
 * Starts a worker in this process (see worker/start.ts). The worker and its pools are imported on
 * the first call, by the package's own name: a relative import would be bundled into the CommonJS
 * build (dist/index.cjs), which cannot hold the pools (they find their entry files by import.meta).
 */
export async function startWorker(options?: StartWorkerOptions): Promise<WorkerHandle> {
  const worker = await import('tasklane/worker');
  return worker.startWorker(options);
}
