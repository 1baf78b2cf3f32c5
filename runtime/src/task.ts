// A registered task as producers see it: delay/applyAsync send it through the app's broker,
// call() runs it inline. Typed from the handler: arguments are Parameters<H>, results Awaited<ReturnType<H>>.
import type { Broker } from './broker/broker.ts';
import { toMs, type Duration } from './duration.ts';
import { execute } from './execute.ts';
import type { TaskMessage } from './protocol.ts';
import type { Handler, TaskOptions } from './registry.ts';
import { AsyncResult, TaskError } from './result.ts';
import { parseRateLimit } from './worker/rate-limit.ts';

/** A point in time: a Date, epoch milliseconds, or an ISO 8601 string. */
export type Instant = Date | number | string;

export interface ApplyOptions {
  /** Overrides the task's queue and the routes. */
  queue?: string;
  /** Do not start before this long from now. */
  countdown?: Duration;
  /** Do not start before this time. */
  eta?: Instant;
  /** Discard (result state REVOKED) if not started within this long from now, or by this time. */
  expires?: Duration | Date;
  priority?: number;
  /** The task id (default: a random UUID). */
  id?: string;
}

export type TaskResultOf<H extends Handler> = Awaited<ReturnType<H>>;

export interface Task<H extends Handler> {
  readonly name: string;
  readonly options: TaskOptions;
  /** Sends the task with these arguments. */
  delay(...args: Parameters<H>): Promise<AsyncResult<TaskResultOf<H>>>;
  /** Sends the task with options (queue, countdown, eta, expires, priority). */
  applyAsync(args: Parameters<H>, options?: ApplyOptions): Promise<AsyncResult<TaskResultOf<H>>>;
  /** Runs the task here and now, with a context(), no broker. Throws a TaskError on failure. */
  call(...args: Parameters<H>): Promise<TaskResultOf<H>>;
}

/** What a Task needs from its app. */
export interface TaskHost {
  broker(): Promise<Broker>;
  queueFor(task: string, taskQueue: string | undefined, applyQueue: string | undefined): string;
}

function toEpoch(instant: Instant, what: string): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (!Number.isFinite(ms)) throw new TypeError(`invalid ${what} ${JSON.stringify(instant)}: use a Date, epoch milliseconds or an ISO 8601 string`);
  return ms;
}

function checkJsonArgs(task: string, args: unknown): unknown[] {
  if (!Array.isArray(args)) throw new TypeError(`arguments of task "${task}" must be an array, e.g. applyAsync(["a.png", 200])`);
  try {
    JSON.stringify(args);
  } catch (error) {
    throw new TypeError(`arguments of task "${task}" are not JSON (${(error as Error).message}): pass plain objects, arrays, strings, numbers, booleans or null`);
  }
  return args;
}

/** The message applyAsync sends (also used by `tasklane call`): checked JSON args, eta, expiry. */
export function buildMessage(name: string, args: unknown, queue: string, options: TaskOptions, apply: ApplyOptions = {}): TaskMessage {
  const now = Date.now();
  const expires = apply.expires ?? options.expires;
  const message: TaskMessage = {
    id: apply.id ?? crypto.randomUUID(),
    task: name,
    args: checkJsonArgs(name, args),
    queue,
    retries: 0,
    createdAt: now,
  };
  if (apply.eta !== undefined) message.eta = toEpoch(apply.eta, 'eta');
  else if (apply.countdown !== undefined) message.eta = now + toMs(apply.countdown);
  if (expires !== undefined) message.expires = expires instanceof Date ? toEpoch(expires, 'expires') : now + toMs(expires);
  if (apply.priority !== undefined) message.priority = apply.priority;
  return message;
}

/** Fails at app.task() time, naming the option, rather than at the first run on some worker. */
export function checkTaskOptions(name: string, options: TaskOptions): void {
  for (const key of ['retryBackoff', 'retryBackoffMax', 'timeLimit', 'softTimeLimit', 'expires'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    try {
      toMs(value);
    } catch (error) {
      throw new TypeError(`task "${name}": option ${key}: ${(error as Error).message}`);
    }
  }
  if (options.retries !== undefined && !(Number.isInteger(options.retries) && options.retries >= 0)) {
    throw new TypeError(`task "${name}": option retries must be a whole number >= 0, got ${JSON.stringify(options.retries)}`);
  }
  if (options.rateLimit !== undefined) {
    try {
      parseRateLimit(options.rateLimit);
    } catch (error) {
      throw new TypeError(`task "${name}": ${(error as Error).message}`);
    }
  }
}

export function createTask<H extends Handler>(name: string, options: TaskOptions, host: TaskHost): Task<H> {
  async function applyAsync(args: Parameters<H>, apply: ApplyOptions = {}): Promise<AsyncResult<TaskResultOf<H>>> {
    const message = buildMessage(name, args, host.queueFor(name, options.queue, apply.queue), options, apply);
    const broker = await host.broker();
    await broker.publish(message);
    return new AsyncResult<TaskResultOf<H>>(message.id, name, host.broker);
  }

  return {
    name,
    options,
    delay: (...args) => applyAsync(args),
    applyAsync,
    async call(...args: Parameters<H>): Promise<TaskResultOf<H>> {
      const id = crypto.randomUUID();
      const outcome = await execute({
        id, task: name, args, queue: host.queueFor(name, options.queue, undefined), retries: 0,
        softTimeLimitMs: options.softTimeLimit === undefined ? undefined : toMs(options.softTimeLimit),
      });
      if (outcome.ok) return outcome.result as TaskResultOf<H>;
      throw new TaskError(id, name, outcome.error ?? { name: 'Error', message: 'no error recorded' });
    },
  };
}
