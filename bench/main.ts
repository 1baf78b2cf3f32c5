// `npm run bench` (through run.mjs): Tasklane's pools on the embedded and Redis brokers against
// BullMQ on the same Redis, same run. stdout: one JSON line per case, then the ratio lines;
// stderr: progress. See RESULTS.md for what the lines mean and the latest figures.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { liveHeap, w1, w1Unkept, w2, w3, w3k, w3NotApplicable, type CaseTarget, type Counts, type Line } from './cases.ts';
import { parseOptions, POOLS } from './options.ts';
import { ignoreResultLines, issue12Lines, ratioLines } from './ratios.ts';
import { RedisProbe } from './redis-probe.ts';
import { startRedis, type RedisServer } from './redis-server.ts';
import type { System } from './system.ts';
import { tasklaneSystem } from './tasklane/system.ts';
import { profileWorkersInto } from './worker-ipc.ts';
import { calibrateSpin } from './workloads.ts';

const cores = availableParallelism();
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const lines: Line[] = [];
const print = (line: Line) => {
  lines.push(line);
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Default concurrency of each Tasklane pool (DESIGN.md §1), as a user gets it. */
const POOL_CONCURRENCY: Record<string, number> = { prefork: cores, threads: cores, solo: 1, async: 100 };

const W3_NOT_FOR = (concurrency: number): Record<string, string> => ({
  prefork: `not run: ${concurrency} concurrent tasks would mean ${concurrency} child processes; W3 is the async pool's workload`,
  threads: `not run: ${concurrency} concurrent tasks would mean ${concurrency} worker threads; W3 is the async pool's workload`,
  solo: 'not run: solo runs one task at a time (every wait in turn); W3 is the async pool\'s workload',
});

type CaseFn = (target: CaseTarget, counts: Counts, progress: (m: string) => void) => Promise<Line[]>;

async function runCase(bench: string, fn: CaseFn, target: CaseTarget, counts: Counts): Promise<void> {
  const label = `${bench} ${target.system.name} ${target.system.broker} ${target.pool}×${target.concurrency}`;
  try {
    for (const line of await fn(target, counts, (m) => progress(`${label}: ${m}`))) print(line);
  } catch (error) {
    progress(`${label} failed: ${(error as Error).stack}`);
    print({ bench, system: target.system.name, broker: target.system.broker, pool: target.pool, error: (error as Error).message });
  }
}

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const counts: Counts = { ...options.counts, spinIterations: calibrateSpin(options.cpuTaskMs) };
if (options.prefetch !== undefined) progress(`Tasklane workers prefetch ${options.prefetch} (not the default)`);
if (options.cpuProfDir) {
  profileWorkersInto(resolve(options.cpuProfDir));
  progress(`worker processes write CPU profiles into ${resolve(options.cpuProfDir)}`);
}
progress(`${cores} cores; a ${options.cpuTaskMs} ms CPU task is ${counts.spinIterations} spin iterations here`);

let redis: RedisServer | undefined;
let probe: RedisProbe | undefined;
let dir: string | undefined;
const systems: { tasklane: System[]; bullmq?: System } = { tasklane: [] };
try {
  if (options.brokers.includes('redis') || options.systems.includes('bullmq')) {
    redis = await startRedis();
    progress(`redis-server on ${redis.url}`);
    probe = new RedisProbe(redis.port);
  }
  if (options.systems.includes('bullmq')) {
    const { bullmqSystem } = await import('./bullmq/system.mjs');
    systems.bullmq = await bullmqSystem(redis!.port);
  }
  if (options.systems.includes('tasklane')) {
    if (options.brokers.includes('redis')) systems.tasklane.push(tasklaneSystem('redis', redis!.url, options.prefetch));
    if (options.brokers.includes('file')) {
      dir = await mkdtemp(join(tmpdir(), 'tasklane-bench-'));
      systems.tasklane.push(tasklaneSystem('file', `file://${dir}`, options.prefetch));
    }
  }
  const pools = POOLS.filter((pool) => options.pools.includes(pool));
  const bullmq = systems.bullmq;
  const probeOf = (system: System) => (system.broker === 'redis' ? probe : undefined);

  if (options.only.includes('W1')) {
    if (bullmq) {
      await runCase('W1', w1, { system: bullmq, pool: 'in-process', concurrency: 100, probe }, counts);
      await runCase('W1-ignore', w1Unkept, { system: bullmq, pool: 'in-process', concurrency: 100, probe }, counts);
      // prefork and threads are compared with BullMQ's executor of the same kind (ratios.ts).
      if (pools.includes('prefork')) await runCase('W1', w1, { system: bullmq, pool: 'processes', concurrency: cores, probe }, counts);
      if (pools.includes('threads')) await runCase('W1', w1, { system: bullmq, pool: 'threads', concurrency: cores, probe }, counts);
    }
    for (const system of systems.tasklane) {
      for (const pool of pools) {
        await runCase('W1', w1, { system, pool, concurrency: POOL_CONCURRENCY[pool], probe: probeOf(system) }, counts);
        await runCase('W1-ignore', w1Unkept, { system, pool, concurrency: POOL_CONCURRENCY[pool], probe: probeOf(system) }, counts);
      }
    }
  }
  if (options.only.includes('W2')) {
    if (bullmq) {
      for (const pool of ['threads', 'processes']) await runCase('W2', w2, { system: bullmq, pool, concurrency: cores }, counts);
    }
    for (const system of systems.tasklane) {
      for (const pool of pools) await runCase('W2', w2, { system, pool, concurrency: POOL_CONCURRENCY[pool] }, counts);
    }
  }
  for (const [only, bench, fn, concurrency] of [['W3', 'W3', w3, counts.w3Concurrency], ['W3K', 'W3-10k', w3k, counts.w3kConcurrency]] as const) {
    if (!options.only.includes(only)) continue;
    if (bullmq) await runCase(bench, fn, { system: bullmq, pool: 'in-process', concurrency, probe }, counts);
    const notFor = W3_NOT_FOR(concurrency);
    for (const system of systems.tasklane) {
      for (const pool of pools) {
        if (notFor[pool]) print(w3NotApplicable(bench, { system, pool, concurrency }, notFor[pool]));
        else await runCase(bench, fn, { system, pool, concurrency, probe: probeOf(system) }, counts);
      }
    }
  }
  if (options.only.includes('W3K') && pools.includes('async')) {
    const measure = async (system: 'tasklane' | 'bullmq', broker: string, script: string, args: string[]) => {
      progress(`live heap per in-flight task, ${system} ${broker}`);
      try {
        print(await liveHeap(system, broker, script, args));
      } catch (error) {
        print({ bench: 'live-heap', system, broker, error: (error as Error).message });
      }
    };
    if (bullmq) await measure('bullmq', 'redis', './bullmq/live-heap.mjs', [String(redis!.port)]);
    for (const system of systems.tasklane) await measure('tasklane', system.broker, './live-heap.ts', [system.broker === 'redis' ? redis!.url : 'file']);
  }
  for (const line of [...ratioLines(lines), ...ignoreResultLines(lines), ...issue12Lines(lines)]) print(line);
} finally {
  await Promise.allSettled([systems.bullmq, ...systems.tasklane, probe].map((closable) => closable?.close()));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
