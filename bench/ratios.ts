// The issue's targets, as tasklane/bullmq ratio lines computed from the case lines of one run.
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

/** One line of issue 12's table: what it measures, how it is read from the case lines, its target. */
interface Issue12Spec {
  line: string;
  broker: string;
  pool: string;
  /** The figure, and what it is compared with (BullMQ's, or Tasklane's Redis path), from the run's lines; `detail`: figures shown beside it. */
  figure: (find: Finder) => { figure?: number; baseline?: number; baselineIs?: string; detail?: Record<string, unknown> };
  target: string;
  met: (figure: number, baseline: number | undefined) => boolean;
}

type Finder = (bench: string, system: string, broker: string, pool: string) => Line | undefined;

const ISSUE_12: Issue12Spec[] = [
  {
    line: 'embedded broker, async no-op drain (tasks/s)', broker: 'file', pool: 'async',
    figure: (find) => ({ figure: find('W1', 'tasklane', 'file', 'async')?.tasksPerSec as number, baseline: find('W1', 'tasklane', 'redis', 'async')?.tasksPerSec as number, baselineIs: 'tasklane redis async' }),
    target: '>= 15000 tasks/s (half of the Redis path or better)', met: (figure) => figure >= 15_000,
  },
  ...['async', 'solo', 'prefork', 'threads'].map((pool): Issue12Spec => ({
    line: 'embedded broker, round-trip p50 (ms)', broker: 'file', pool,
    figure: (find) => ({ figure: find('W1-rtt', 'tasklane', 'file', pool)?.p50Ms as number }),
    target: '<= 0.8 ms', met: (figure) => figure <= 0.8,
  })),
  {
    line: 'embedded broker, W3 (5,000 × 200 ms at 500)', broker: 'file', pool: 'async',
    figure: (find) => ({ figure: find('W3', 'tasklane', 'file', 'async')?.efficiency as number }),
    target: 'efficiency >= 0.95', met: (figure) => figure >= 0.95,
  },
  ...([['prefork', 'processes'], ['threads', 'threads']] as const).map(([pool, theirs]): Issue12Spec => ({
    line: `${pool} no-op drain vs BullMQ's sandboxed ${theirs}`, broker: 'redis', pool,
    figure: (find) => ({ figure: find('W1', 'tasklane', 'redis', pool)?.tasksPerSec as number, baseline: find('W1', 'bullmq', 'redis', theirs)?.tasksPerSec as number, baselineIs: `bullmq ${theirs}` }),
    target: '>= 2 × BullMQ', met: (figure, baseline) => baseline !== undefined && figure / baseline >= 2,
  })),
  ...['redis', 'file'].flatMap((broker) => [
    {
      line: 'prefork W2 efficiency', broker, pool: 'prefork',
      figure: (find: Finder) => ({ figure: find('W2', 'tasklane', broker, 'prefork')?.efficiency as number, baseline: find('W2', 'bullmq', 'redis', 'processes')?.efficiency as number, baselineIs: 'bullmq processes' }),
      target: '>= 0.97', met: (figure: number) => figure >= 0.97,
    },
    {
      line: 'threads W2 efficiency (W2 never below 0.95)', broker, pool: 'threads',
      figure: (find: Finder) => ({ figure: find('W2', 'tasklane', broker, 'threads')?.efficiency as number, baseline: find('W2', 'bullmq', 'redis', 'threads')?.efficiency as number, baselineIs: 'bullmq threads' }),
      target: '>= 0.95', met: (figure: number) => figure >= 0.95,
    },
    {
      line: 'async W3 at concurrency 10,000 (50,000 × 2 s; ideal 10 s)', broker, pool: 'async',
      figure: (find: Finder) => ({ figure: find('W3-10k', 'tasklane', broker, 'async')?.efficiency as number, baseline: find('W3-10k', 'bullmq', 'redis', 'in-process')?.efficiency as number, baselineIs: 'bullmq in-process at 10,000' }),
      target: '>= 0.90 and ahead of BullMQ', met: (figure: number, baseline: number | undefined) => figure >= 0.9 && baseline !== undefined && figure > baseline,
    },
    {
      // The worker's own memory: its rss less the pages it maps from files. On the embedded broker
      // those are the store's (the broker's data in the page cache, shared with the producers and
      // the other workers on it, given back under memory pressure), which for BullMQ are Redis's
      // memory and not counted; both rss figures are shown beside it.
      line: 'worker memory per in-flight async task at 10,000 (KB, rss less file-backed pages)', broker, pool: 'async',
      figure: (find: Finder) => {
        const ours = find('W3-10k', 'tasklane', broker, 'async');
        const theirs = find('W3-10k', 'bullmq', 'redis', 'in-process');
        return {
          figure: ours?.privatePerInFlightKb as number, baseline: theirs?.privatePerInFlightKb as number, baselineIs: 'bullmq in-process at 10,000',
          detail: { rssKb: ours?.rssPerInFlightKb, fileBackedKb: ours?.fileBackedPerInFlightKb, baselineRssKb: theirs?.rssPerInFlightKb },
        };
      },
      target: 'below BullMQ', met: (figure: number, baseline: number | undefined) => baseline !== undefined && figure < baseline,
    },
    {
      line: 'live heap per in-flight async task at 10,000 (KB, after a full GC)', broker, pool: 'async',
      figure: (find: Finder) => ({ figure: find('live-heap', 'tasklane', broker, 'async')?.liveHeapPerInFlightKb as number, baseline: find('live-heap', 'bullmq', 'redis', 'in-process')?.liveHeapPerInFlightKb as number, baselineIs: 'bullmq in-process at 10,000' }),
      target: 'below BullMQ', met: (figure: number, baseline: number | undefined) => baseline !== undefined && figure < baseline,
    },
  ]),
];

/**
 * Issue 12's table, one line each: the figure, what it is compared with, the ratio, the target and
 * whether this run met it. A line whose case did not run (--only, --pools, a failed case) says so
 * and counts as not met.
 */
export function issue12Lines(lines: Line[]): Line[] {
  const find: Finder = (bench, system, broker, pool) => lines.find((l) => l.bench === bench && l.system === system && l.broker === broker
    && l.pool === pool && l.error === undefined && l.skipped === undefined);
  return ISSUE_12.map((spec) => {
    const { figure, baseline, baselineIs, detail } = spec.figure(find);
    const head = { issue12: spec.line, broker: spec.broker, pool: spec.pool, target: spec.target };
    if (figure === undefined) return { ...head, met: false, note: 'not measured in this run' };
    return {
      ...head, figure, ...(baselineIs && { baselineIs, baseline: baseline ?? null }), ...detail,
      ...(baseline !== undefined && { ratio: round(figure / baseline, 3) }),
      met: spec.met(figure, baseline),
    };
  });
}

/** W1 with and without results kept (ignoreResult / removeOnComplete { count: 0 }), per system, broker and pool. */
export function ignoreResultLines(lines: Line[]): Line[] {
  return lines.filter((l) => l.bench === 'W1-ignore' && l.error === undefined).flatMap((unkept) => {
    const kept = lines.find((l) => l.bench === 'W1' && l.system === unkept.system && l.broker === unkept.broker && l.pool === unkept.pool && l.error === undefined);
    if (!kept) return [];
    return [{
      ratio: 'W1 no-op drain, results not kept / kept', system: unkept.system, broker: unkept.broker, pool: unkept.pool,
      kept: kept.tasksPerSec, notKept: unkept.tasksPerSec, value: round(num(unkept, 'tasksPerSec') / num(kept, 'tasksPerSec'), 3),
    }];
  });
}
