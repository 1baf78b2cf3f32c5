// Command-line options of `npm run bench`. Counts scale down with --quick so a run fits in a
// minute or two on a busy machine; the full counts are issue 2's.
import { parseArgs } from 'node:util';
import type { Counts } from './cases.ts';

export const POOLS = ['prefork', 'threads', 'solo', 'async'] as const;
export const BROKERS = ['redis', 'file'] as const;
export const WORKLOADS = ['W1', 'W2', 'W3', 'W3K'] as const;
export const SYSTEMS = ['tasklane', 'bullmq'] as const;

export interface Options {
  counts: Omit<Counts, 'spinIterations'>;
  /** Target duration of one W2 task, ms. */
  cpuTaskMs: number;
  only: string[];
  pools: string[];
  brokers: string[];
  systems: string[];
  /** Write a CPU profile of every worker process here (--cpu-prof=dir). */
  cpuProfDir?: string;
  /** Tasklane workers' prefetch, for what-if runs (default: the runtime's). */
  prefetch?: number;
}

const USAGE = `usage: npm run bench -- [--quick] [--only=${WORKLOADS.join(',')}] [--pools=${POOLS.join(',')}]
                        [--brokers=${BROKERS.join(',')}] [--systems=${SYSTEMS.join(',')}]
                        [--w1-tasks=N] [--round-trips=N] [--w2-tasks=N] [--w3-tasks=N] [--w3k-tasks=N]
                        [--cpu-prof=DIR]   (a .cpuprofile per worker process, for Chrome DevTools)
                        [--prefetch=N]     (Tasklane workers' prefetch, default the runtime's)`;

function list(value: string | undefined, allowed: readonly string[], flag: string): string[] {
  if (value === undefined) return [...allowed];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const wrong = items.filter((item) => !allowed.includes(item));
  if (wrong.length || !items.length) throw new Error(`--${flag}=${value}: use a comma-separated subset of ${allowed.join(',')}\n${USAGE}`);
  return items;
}

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}=${value}: use a positive whole number\n${USAGE}`);
  return n;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      pools: { type: 'string' },
      brokers: { type: 'string' },
      systems: { type: 'string' },
      'w1-tasks': { type: 'string' },
      'round-trips': { type: 'string' },
      'w2-tasks': { type: 'string' },
      'w3-tasks': { type: 'string' },
      'w3k-tasks': { type: 'string' },
      'cpu-prof': { type: 'string' },
      prefetch: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
}

export function parseOptions(argv: string[]): Options {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new Error(USAGE);
  const quick = values.quick;
  return {
    counts: {
      w1Tasks: count(values['w1-tasks'], quick ? 2_000 : 20_000, 'w1-tasks'),
      roundTrips: count(values['round-trips'], quick ? 100 : 500, 'round-trips'),
      w2Tasks: count(values['w2-tasks'], quick ? 8 : 32, 'w2-tasks'),
      w3Tasks: count(values['w3-tasks'], quick ? 1_000 : 5_000, 'w3-tasks'),
      w3Concurrency: 500,
      w3WaitMs: 200,
      w3kTasks: count(values['w3k-tasks'], quick ? 20_000 : 50_000, 'w3k-tasks'),
      w3kConcurrency: 10_000,
      w3kWaitMs: 2000,
    },
    cpuTaskMs: 100,
    only: list(values.only?.toUpperCase(), WORKLOADS, 'only'),
    pools: list(values.pools, POOLS, 'pools'),
    brokers: list(values.brokers, BROKERS, 'brokers'),
    systems: list(values.systems, SYSTEMS, 'systems'),
    cpuProfDir: values['cpu-prof'],
    prefetch: values.prefetch === undefined ? undefined : count(values.prefetch, 1, 'prefetch'),
  };
}
