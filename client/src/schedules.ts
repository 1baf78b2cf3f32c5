// The schedules the Tasks view lists: those of tasklane.config.json, each with its next fire time
// computed by the runtime's own timetable (tasklane/schedule), so the editor and `tasklane beat`
// never disagree on when a cron fires.
import type { ScheduleConfig } from 'tasklane/config';
import { timetable } from 'tasklane/schedule';

export interface ScheduleRow {
  name: string;
  task: string;
  /** "every 30s" or "cron 0 9 * * 1-5 (Europe/Paris)". */
  when: string;
  queue?: string;
  /** Epoch ms of the next tick after `now`; undefined when it will not fire again or cannot be read. */
  next?: number;
  /** Why the schedule cannot be used, when it cannot. */
  error?: string;
}

export function scheduleRows(schedules: Record<string, ScheduleConfig> | undefined, now: number): ScheduleRow[] {
  return Object.entries(schedules ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, spec]) => {
    const row: ScheduleRow = { name, task: spec.task, when: spec.cron ? `cron ${spec.cron}` : `every ${String(spec.every)}`, queue: spec.queue };
    try {
      const t = timetable(name, spec);
      row.when = t.description;
      row.next = t.next(now);
    } catch (error) {
      row.error = (error as Error).message;
    }
    return row;
  });
}

/** "in 45s", "in 12 min", "in 3 h", "in 2 days": how far the next fire time is. */
export function fromNow(at: number, now: number): string {
  const s = Math.max(0, Math.round((at - now) / 1000));
  if (s < 60) return `in ${s}s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86_400 * 2) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} days`;
}
