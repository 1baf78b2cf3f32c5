// The package entry: `import { createApp, context } from 'tasklane'`. Kept light (no pools, no
// worker) because task modules import it in every pool's children and threads.
export { createApp, type App, type AppOptions } from './app.ts';
export { context, type TaskContext } from './context.ts';
export { AsyncResult, TaskError, TimeoutError } from './result.ts';
export { PayloadTooLargeError } from './broker/codec.ts';
export type { Task, TaskResultOf } from './task.ts';
export type { ApplyOptions, Instant } from './message.ts';
export type { TaskOptions, Handler } from './registry.ts';
export type { Duration } from './duration.ts';
export type { PoolKind, TaskMessage, TaskResult, TaskState, TaskEvent, TaskProgress, WorkerInfo, SerializedError } from './protocol.ts';
