// Tasks registered by `app.task(...)`, kept on globalThis: a task module may load a second copy
// of the runtime (the workspace's `tasklane` beside the extension's bundled one) and a pool's
// child process or worker thread must still find every task by name.
import type { Duration } from './duration.ts';

export interface TaskOptions {
  /** Queue the task is routed to unless applyAsync names one (precedence: applyAsync > task > routes > "default"). */
  queue?: string;
  /** Automatic retries on failure, with exponential backoff and jitter. */
  retries?: number;
  /** First retry delay; doubles each attempt (default "1s"). */
  retryBackoff?: Duration;
  /** Cap of the backoff (default "10m"). */
  retryBackoffMax?: Duration;
  /** Hard limit: the thread or child running it is killed and replaced (prefork, threads). */
  timeLimit?: Duration;
  /** Soft limit: context().signal aborts. */
  softTimeLimit?: Duration;
  /** e.g. "10/s", "100/m": at most that many starts per worker. */
  rateLimit?: string;
  /** Default expiry of a message after it is sent. */
  expires?: Duration;
  /** Acknowledge after the task finishes (default true: at-least-once). */
  ackLate?: boolean;
  /**
   * Keep no result of a success: nothing stored or published, get() says so at once (Celery's
   * ignore_result, BullMQ's removeOnComplete). Failures are still stored. Default: the worker's
   * `ignoreResult` (false).
   */
  ignoreResult?: boolean;
}

// eslint-style `any` is deliberate: handlers have arbitrary JSON-typed signatures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (...args: any[]) => unknown;

export interface TaskDefinition {
  name: string;
  handler: Handler;
  options: TaskOptions;
  /** The app's name, for messages. */
  app: string;
}

const KEY = Symbol.for('tasklane.registry');
type Registry = Map<string, TaskDefinition>;
const registry: Registry = ((globalThis as Record<symbol, unknown>)[KEY] as Registry | undefined)
  ?? ((globalThis as Record<symbol, unknown>)[KEY] = new Map());

export function registerTask(definition: TaskDefinition): void {
  const existing = registry.get(definition.name);
  if (existing && existing.handler !== definition.handler) {
    throw new Error(`task "${definition.name}" is registered twice (apps "${existing.app}" and "${definition.app}"): task names must be unique`);
  }
  registry.set(definition.name, definition);
}

export function findTask(name: string): TaskDefinition | undefined {
  return registry.get(name);
}

export function taskNames(): string[] {
  return [...registry.keys()].sort();
}
