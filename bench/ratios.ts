// The targets, as tasklane/bullmq ratio lines computed from the case lines of one run.
import { round } from './stats.ts';
import type { Line } from './cases.ts';

const num = (line: Line, key: string) => line[key] as number;

/** BullMQ's executor of the same kind: its sandboxed processes and threads, or its own event loop. */
const FAMILY: Record<string, string> = { prefork: 'processes', threads: 'threads', solo: 'in-process', async: 'in-process' };

/** BullMQ's line to compare a Tasklane line with: the same kind of executor where BullMQ ran one, else its best. */
function counterpart(bullmq: Line[], line: Line, metric: string, lowerIsBetter: boolean): Line | undefined {
  const same = bullmq.find((b) => b.pool === FAMILY[line.pool as string]);
  if (same) return same;
  const better = (a: Line, b: Line) => (lowerIsBetter ? num(a, metric) - num(b, metric) : num(b, metric) - num(a, metric));
  return [...bullmq].sort(better)[0];
}

export function ratioLines(lines: Line[]): Line[] {
  const out: Line[] = [];
  const measured = (bench: string, system: string) =>
    lines.filter((l) => l.bench === bench && l.system === system && l.error === undefined && l.skipped === undefined);

  const specs = [
    { bench: 'W1', ratio: 'W1 no-op throughput', metric: 'tasksPerSec', target: '>= 2', met: (v: number) => v >= 2 },
    { bench: 'W1-rtt', ratio: 'W1 round-trip p50', metric: 'p50Ms', target: '<= 0.5', met: (v: number) => v <= 0.5 },
    { bench: 'W2', ratio: 'W2 CPU efficiency', metric: 'efficiency', target: 'tasklane efficiency >= 0.95', effTarget: true },
    { bench: 'W3', ratio: 'W3 I/O efficiency', metric: 'efficiency', target: 'tasklane efficiency >= 0.95', effTarget: true },
  ];
  for (const spec of specs) {
    const bullmq = measured(spec.bench, 'bullmq');
    for (const line of measured(spec.bench, 'tasklane')) {
      const base = counterpart(bullmq, line, spec.metric, spec.bench === 'W1-rtt');
      if (!base) continue;
      const value = num(line, spec.metric) / num(base, spec.metric);
      out.push({
        ratio: spec.ratio, broker: line.broker, pool: line.pool, bullmqPool: base.pool,
        tasklane: line[spec.metric], bullmq: base[spec.metric], value: round(value, 3), target: spec.target,
        met: spec.effTarget ? num(line, spec.metric) >= 0.95 : spec.met!(value),
      });
    }
  }
  return out;
}
