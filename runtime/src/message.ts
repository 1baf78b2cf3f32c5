// A task message as it travels: built from a task name, JSON arguments and the send options, with
// the arguments checked to be JSON and times turned into epoch milliseconds.
import { toMs, type Duration } from './duration.ts';
import type { TaskMessage } from './protocol.ts';
import type { TaskOptions } from './registry.ts';

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
  /** Keep no result of its success (over the task's ignoreResult); get() then says so at once. */
  ignoreResult?: boolean;
}

function toEpoch(instant: Instant, what: string): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (!Number.isFinite(ms)) throw new TypeError(`invalid ${what} ${JSON.stringify(instant)}: use a Date, epoch milliseconds or an ISO 8601 string`);
  return ms;
}

/** The arguments, checked to be a JSON array; throws saying what to pass instead. */
export function checkJsonArgs(task: string, args: unknown): unknown[] {
  if (!Array.isArray(args)) throw new TypeError(`arguments of task "${task}" must be an array, e.g. applyAsync(["a.png", 200])`);
  try {
    JSON.stringify(args);
  } catch (error) {
    throw new TypeError(`arguments of task "${task}" are not JSON (${(error as Error).message}): pass plain objects, arrays, strings, numbers, booleans or null`);
  }
  return args;
}

/** The message a send publishes: checked JSON args, eta, expiry. */
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
  if (apply.priority !== undefined) {
    if (typeof apply.priority !== 'number' || !Number.isFinite(apply.priority)) {
      throw new TypeError(`priority of task "${name}" must be a number (higher runs first; Redis keeps four levels: 0, 1-3, 4-6, 7+), got ${JSON.stringify(apply.priority)}`);
    }
    message.priority = apply.priority;
  }
  const ignoreResult = apply.ignoreResult ?? options.ignoreResult;
  if (ignoreResult !== undefined) message.ignoreResult = ignoreResult;
  return message;
}
