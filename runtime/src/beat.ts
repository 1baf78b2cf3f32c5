// The scheduler of periodic tasks (Celery's beat). Any number may run against one broker: each
// tick is claimed by a compare-and-set of the schedule's "last tick" record on the broker
// (Broker.advanceTick), and the scheduler that advanced the record sends the task, with an id
// made of the schedule and the tick time, in the same step (redis, memory) or right after it
// (file: a scheduler killed between the rename and the write loses that tick). Sending first would
// send a tick twice whenever two schedulers race.
//
// Catch-up (ticks that came while no scheduler ran, found on start): `one` sends the latest missed
// tick once and logs how many were skipped; `all` sends each. A schedule seen for the first time
// starts from now: it has no missed ticks.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Broker } from './broker/broker.ts';
import type { Logger } from './logger.ts';
import { buildMessage } from './message.ts';
import type { TaskMessage } from './protocol.ts';
import { findTask, taskNames } from './registry.ts';
import { routeTask, type Routes } from './routing.ts';
import { ScheduleError, tickId, timetable, type ScheduleDefinition, type Timetable } from './schedule.ts';

/** The longest sleep between looks at the records (a wall clock set forward is noticed within it). */
const MAX_SLEEP_MS = 10_000;
/** Missed ticks counted one by one up to this, for the log line. */
const COUNT_LIMIT = 10_000;

export interface BeatOptions {
  broker: Broker;
  schedules: ScheduleDefinition[];
  logger: Logger;
  /** The config's routes (queue precedence: schedule > task option > routes > "default"). */
  routes?: Routes;
  /** The clock (tests inject one). */
  now?: () => number;
}

/** A tick a scheduler sent. */
export interface Fired {
  schedule: string;
  tick: number;
  id: string;
}

interface Entry {
  definition: ScheduleDefinition;
  timetable: Timetable;
}

/**
 * Checks that every schedule names a task this process knows (the app module is loaded) and that
 * names are unique; throws one ScheduleError saying what to fix.
 */
export function checkScheduleTasks(schedules: ScheduleDefinition[]): void {
  const seen = new Map<string, string>();
  for (const s of schedules) {
    const other = seen.get(s.name);
    if (other) throw new ScheduleError(s.name, 'name', `is defined twice (${other} and ${s.source}): schedule names must be unique`);
    seen.set(s.name, s.source);
    if (!findTask(s.task)) {
      const known = taskNames();
      throw new ScheduleError(s.name, 'task', `names no task of the app: "${s.task}" (${s.source}; ${known.length ? `known tasks: ${known.join(', ')}` : 'the app registers no task'})`);
    }
    try {
      tickMessage(s, 0);
    } catch (error) {
      throw new ScheduleError(s.name, 'args', `cannot be sent: ${(error as Error).message}`);
    }
  }
}

/** The task message of one tick: routed as applyAsync would (schedule queue > task option > routes > "default"). */
function tickMessage(s: ScheduleDefinition, tick: number, routes?: Routes): TaskMessage {
  const options = findTask(s.task)?.options ?? {};
  const queue = routeTask(s.task, { applyQueue: s.queue, taskQueue: options.queue, routes });
  return buildMessage(s.task, s.args ?? [], queue, options, { id: tickId(s.name, tick) });
}

/** How many ticks lie strictly between `from` and `to` ("10000+" past COUNT_LIMIT). */
function countBetween(t: Timetable, from: number, to: number): string {
  let n = 0;
  for (let tick = t.next(from); tick !== undefined && tick < to; tick = t.next(tick)) {
    if (++n >= COUNT_LIMIT) return `${COUNT_LIMIT}+`;
  }
  return String(n);
}

export class Beat {
  private readonly entries: Entry[];
  private readonly now: () => number;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: BeatOptions) {
    this.entries = options.schedules.map((definition) => ({ definition, timetable: timetable(definition.name, definition) }));
    this.now = options.now ?? Date.now;
  }

  /**
   * One look at every schedule: claims and sends what is due now. Returns what this scheduler
   * sent and when the next tick comes (epoch ms, Infinity when none will).
   */
  async tick(): Promise<{ fired: Fired[]; nextAt: number }> {
    const fired: Fired[] = [];
    let nextAt = Infinity;
    for (const entry of this.entries) nextAt = Math.min(nextAt, await this.step(entry, fired));
    return { fired, nextAt };
  }

  private async step(entry: Entry, fired: Fired[]): Promise<number> {
    const { broker, logger } = this.options;
    const { definition: s, timetable: t } = entry;
    for (;;) {
      const now = this.now();
      const last = await broker.lastTick(s.name);
      if (last === undefined) {
        if (await broker.advanceTick(s.name, undefined, now)) logger.info(`schedule ${s.name}: first start, ticks from now on (${t.description})`);
        continue;
      }
      const next = t.next(last);
      if (next === undefined || next > now) return next ?? Infinity;
      const target = s.catchUp === 'all' ? next : Math.max(next, t.latest(now) ?? next);
      const message = tickMessage(s, target, this.options.routes);
      if (!await broker.advanceTick(s.name, last, target, message)) continue; // another scheduler claimed it
      const skipped = target === next ? '0' : countBetween(t, last, target);
      if (skipped !== '0') {
        logger.warn(`schedule ${s.name}: skipped ${skipped} tick(s) missed between ${new Date(last).toISOString()} and ${new Date(target).toISOString()} (catchUp "one": the latest is sent once)`);
      }
      logger.info(`schedule ${s.name}: sent ${s.task}[${message.id}]`);
      fired.push({ schedule: s.name, tick: target, id: message.id });
    }
  }

  /** Runs until stop(): looks, sleeps until the next tick, looks again. */
  start(): void {
    const signal = this.stopping.signal;
    this.running ??= (async () => {
      this.options.logger.info(`beat: ${this.entries.length} schedule(s) on ${this.options.broker.displayUrl}`);
      while (!signal.aborted) {
        let wait = MAX_SLEEP_MS;
        try {
          const { nextAt } = await this.tick();
          wait = Math.min(MAX_SLEEP_MS, Math.max(0, nextAt - this.now()));
        } catch (error) {
          this.options.logger.error(`beat: ${(error as Error).message} (trying again in ${wait / 1000}s)`);
        }
        // Its abort listener goes when the sleep ends: one per tick would pile up on the long-lived signal.
        await sleep(wait, undefined, { signal }).catch(() => undefined); // rejects only when stop() aborts it
      }
    })();
  }

  /** Stops after the look under way (a claimed tick is still sent). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}
