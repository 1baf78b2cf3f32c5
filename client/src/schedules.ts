// The schedules the Tasks view lists: those of tasklane.config.json and those the analysis found in
// code (app.schedule(...)), each with its next fire time computed by the runtime's own timetable
// (tasklane/schedule), so the editor and `tasklane beat` never disagree on when a cron fires.
import type { ScheduleFound } from '@tasklane/server/protocol';
import type { ScheduleConfig } from 'tasklane/config';
import { timetable, type ScheduleSpec } from 'tasklane/schedule';

export interface ScheduleRow {
  name: string;
  task: string;
  /** "every 30s", "cron 0 9 * * 1-5 (Europe/Paris)", or which fields code computes. */
  when: string;
  queue?: string;
  /** Epoch ms of the next tick after `now`; undefined when it will not fire again or cannot be known here. */
  next?: number;
  /** Why the schedule cannot be used, when it cannot. */
  error?: string;
  /** Fields the code computes (no next fire time here: `tasklane beat --list` has it). */
  computed?: string[];
  /** Where it is defined: the config file, or the file and line of the app.schedule call. */
  file?: string;
  line?: number;
}

function row(name: string, task: string, spec: ScheduleSpec, now: number, computed: string[] = []): ScheduleRow {
  const out: ScheduleRow = { name, task, when: spec.cron !== undefined ? `cron ${spec.cron}` : `every ${String(spec.every)}`, queue: spec.queue };
  if (computed.length) {
    out.when = `${computed.join(', ')} computed in code`;
    out.computed = computed;
    return out;
  }
  try {
    const t = timetable(name, spec);
    out.when = t.description;
    out.next = t.next(now);
  } catch (error) {
    out.error = (error as Error).message;
  }
  return out;
}

export function scheduleRows(config: { path: string; schedules?: Record<string, ScheduleConfig> } | undefined, code: ScheduleFound[], now: number): ScheduleRow[] {
  const rows = [
    ...Object.entries(config?.schedules ?? {}).map(([name, spec]) => ({ ...row(name, spec.task, spec, now), file: config!.path })),
    ...code.map((s) => ({ ...row(s.name, s.task, s, now, s.computed), file: s.file, line: s.line })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  // `tasklane beat` refuses a name defined twice: say so where the user looks.
  for (const r of rows) {
    const twice = rows.filter((other) => other.name === r.name);
    if (twice.length > 1) r.error = `schedule "${r.name}" is defined ${twice.length} times (${twice.map((o) => (o.line ? `line ${o.line} of ${o.file}` : o.file)).join(', ')}): tasklane beat refuses duplicate names`;
  }
  return rows;
}

/** "in 45s", "in 12 min", "in 3 h", "in 2 days": how far the next fire time is. */
export function fromNow(at: number, now: number): string {
  const s = Math.max(0, Math.round((at - now) / 1000));
  if (s < 60) return `in ${s}s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86_400 * 2) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} days`;
}
