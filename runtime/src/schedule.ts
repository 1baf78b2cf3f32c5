// Periodic tasks: a schedule's definition (in code through app.schedule, or in tasklane.config.json's
// "schedules"), its checks, and its times. The editor imports this module (`tasklane/schedule`) to
// show next fire times, so the time computation lives here once. Cron is croner's (time zones and
// daylight-saving changes: a time that does not exist that day fires at the first minute after the
// gap, one that exists twice fires at its first occurrence).
import { Cron } from 'croner';
import { toMs, type Duration } from './duration.ts';

/**
 * What a scheduler does with ticks that came while no scheduler ran: `one` (default, as Celery
 * beat) fires the latest missed tick once and logs how many it skipped; `all` fires each missed
 * tick in order.
 */
export type CatchUp = 'one' | 'all';
export const CATCH_UP_POLICIES: readonly CatchUp[] = ['one', 'all'];

/** When a schedule fires, and what it sends: the same fields in code and in the config. */
export interface ScheduleSpec {
  /** A fixed interval, aligned to the epoch (every "1h" fires on the hour, UTC): "30s", "5m", ms. */
  every?: Duration;
  /** A cron expression: 5 fields, or 6 with seconds first ("0 9 * * 1-5"). */
  cron?: string;
  /** IANA time zone of a cron expression (default UTC), e.g. "Europe/Paris". */
  timezone?: string;
  /** JSON arguments of each run (default none). */
  args?: unknown[];
  /** Queue (default: the task's own, else the routes, else "default"). */
  queue?: string;
  catchUp?: CatchUp;
}

/** A schedule as the scheduler holds it. */
export interface ScheduleDefinition extends ScheduleSpec {
  name: string;
  task: string;
  /** Where it was defined, for messages: "app.schedule" or the config file. */
  source: string;
}

/** A schedule that cannot be used; `field` is the offending field ("every", "cron", …; "" for the whole schedule). */
export class ScheduleError extends Error {
  constructor(readonly schedule: string, readonly field: string, readonly detail: string) {
    super(`schedule "${schedule}"${field ? `: ${field}` : ''} ${detail}`);
    this.name = 'ScheduleError';
  }
}

/** The times a schedule fires at. */
export interface Timetable {
  /** The first tick strictly after `after` (epoch ms); undefined when there is none (a cron that never fires again). */
  next(after: number): number | undefined;
  /** The last tick at or before `at`, undefined when there is none. */
  latest(at: number): number | undefined;
  /** "every 30s" or "cron 0 9 * * 1-5 (Europe/Paris)". */
  readonly description: string;
}

const MIN_EVERY_MS = 1000;

function timezoneValid(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a schedule's fields and returns its timetable; throws one ScheduleError naming the field to fix. */
export function timetable(name: string, spec: ScheduleSpec): Timetable {
  if ((spec.every === undefined) === (spec.cron === undefined)) {
    throw new ScheduleError(name, '', 'needs either every or cron (one of them): every: "30s" or cron: "0 9 * * 1-5"');
  }
  if (spec.catchUp !== undefined && !CATCH_UP_POLICIES.includes(spec.catchUp)) {
    throw new ScheduleError(name, 'catchUp', `must be one of ${CATCH_UP_POLICIES.join(', ')}, got ${JSON.stringify(spec.catchUp)}`);
  }
  if (spec.args !== undefined && !Array.isArray(spec.args)) {
    throw new ScheduleError(name, 'args', `must be an array of JSON arguments, got ${JSON.stringify(spec.args)}`);
  }
  if (spec.every !== undefined) {
    if (spec.timezone !== undefined) throw new ScheduleError(name, 'timezone', 'applies to cron only: an every interval is the same in every zone');
    let ms: number;
    try {
      ms = toMs(spec.every);
    } catch (error) {
      throw new ScheduleError(name, 'every', (error as Error).message.replace(/^invalid duration/, 'is no duration:'));
    }
    if (ms < MIN_EVERY_MS) throw new ScheduleError(name, 'every', `must be at least 1s, got ${JSON.stringify(spec.every)}`);
    return {
      next: (after) => (Math.floor(after / ms) + 1) * ms,
      latest: (at) => Math.floor(at / ms) * ms,
      description: `every ${typeof spec.every === 'number' ? `${spec.every}ms` : spec.every}`,
    };
  }
  const timezone = spec.timezone ?? 'UTC';
  if (!timezoneValid(timezone)) {
    throw new ScheduleError(name, 'timezone', `is no IANA time zone: ${JSON.stringify(spec.timezone)} (e.g. "Europe/Paris", "America/New_York", "UTC")`);
  }
  let cron: Cron;
  try {
    cron = new Cron(String(spec.cron), { timezone });
  } catch (error) {
    throw new ScheduleError(name, 'cron', `is no cron expression: ${JSON.stringify(spec.cron)} (${(error as Error).message.replace(/^CronPattern: /, '')}); e.g. "0 9 * * 1-5" (minute hour day month weekday)`);
  }
  return {
    next: (after) => cron.nextRun(new Date(after))?.getTime(),
    // croner's previous runs are strictly before the reference, but include one earlier in the same second.
    latest: (at) => cron.previousRuns(1, new Date(at + 1))[0]?.getTime(),
    description: `cron ${spec.cron}${spec.timezone ? ` (${spec.timezone})` : ''}`,
  };
}

/** The next time a schedule fires after `now` (default: the current time), or undefined. */
export function nextFireTime(name: string, spec: ScheduleSpec, now = Date.now()): Date | undefined {
  const next = timetable(name, spec).next(now);
  return next === undefined ? undefined : new Date(next);
}

/** The task message id of a tick: the same for every scheduler, so a repeated send of one tick is one task. */
export function tickId(schedule: string, tick: number): string {
  return `${schedule}@${new Date(tick).toISOString()}`;
}

const KEY = Symbol.for('tasklane.schedules');
type Schedules = Map<string, ScheduleDefinition>;
// On globalThis, as the task registry: a second copy of the runtime in the process sees the same.
const schedules: Schedules = ((globalThis as Record<symbol, unknown>)[KEY] as Schedules | undefined)
  ?? ((globalThis as Record<symbol, unknown>)[KEY] = new Map());

/** Called by app.schedule: checks the schedule and keeps it for the scheduler of this process. */
export function registerSchedule(definition: ScheduleDefinition): void {
  timetable(definition.name, definition);
  const existing = schedules.get(definition.name);
  if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
    throw new ScheduleError(definition.name, 'name', 'is defined twice with different settings: schedule names must be unique');
  }
  schedules.set(definition.name, definition);
}

/** The schedules registered in code, by name. */
export function registeredSchedules(): ScheduleDefinition[] {
  return [...schedules.values()];
}
