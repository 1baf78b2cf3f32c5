// The workloads of issue 2, written once against System so Tasklane and BullMQ run the same ones.
// Each case returns the JSON lines it measured; a case that cannot apply says why in its line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { percentile, round } from './stats.ts';
import { bareThreadsMs } from './control.ts';
import type { RedisProbe } from './redis-probe.ts';
import type { Job, System } from './system.ts';
import type { BenchWorker } from './worker-ipc.ts';
import { spin } from './workloads.ts';

export interface Counts {
  w1Tasks: number;
  roundTrips: number;
  w2Tasks: number;
  /** spin iterations of one ~100 ms CPU task (calibrated by the bench). */
  spinIterations: number;
  w3Tasks: number;
  w3Concurrency: number;
  w3WaitMs: number;
  /** W3 at 10,000: tasks, concurrency and wait (issue 12: 50,000 × 2 s at 10,000, ideal 10 s). */
  w3kTasks: number;
  w3kConcurrency: number;
  w3kWaitMs: number;
}

export type Line = Record<string, unknown>;

export interface CaseTarget {
  system: System;
  /** Tasklane pool, or BullMQ's in-process / threads / processes. */
  pool: string;
  concurrency: number;
  /** Set for systems on Redis: the lines then say what each task and round trip cost Redis. */
  probe?: RedisProbe;
}

const cores = availableParallelism();
let queues = 0;
const queueName = (label: string) => `bench-${label}-${process.pid}-${++queues}`;
const jobs = (n: number, job: Job): Job[] => Array.from({ length: n }, () => job);

function head(bench: string, { system, pool, concurrency }: CaseTarget): Line {
  return { bench, system: system.name, broker: system.broker, pool, concurrency };
}

/** Resolves with the promise's value, or rejects naming the step that did not finish in time. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** n no-op tasks enqueued first, then drained by the (paused, warm) worker: a W1 drain line. */
async function noopDrain(bench: string, target: CaseTarget, worker: BenchWorker, queue: string, n: number, progress: (m: string) => void): Promise<Line> {
  progress(`enqueue ${n} no-op tasks`);
  const enqueueStarted = performance.now();
  await target.system.enqueue(queue, jobs(n, { workload: 'noop', arg: 0 }));
  const enqueueMs = performance.now() - enqueueStarted;
  progress('drain');
  await target.probe?.reset();
  const { done } = await worker.expect(n, { start: true });
  const { ms: drainMs, cpuMs } = await done;
  const commands = await target.probe?.perTask(n);
  return {
    ...head(bench, target), tasks: n, enqueueMs: round(enqueueMs), drainMs: round(drainMs),
    tasksPerSec: round((n / drainMs) * 1000, 0),
    // Where the time goes: CPU per task in the worker process and in redis-server, and the
    // commands each task cost.
    workerCpuUsPerTask: round((cpuMs * 1000) / n, 0),
    ...(commands && {
      redisCpuUsPerTask: commands.cpuUs, redisCommandsPerTask: commands.total, redisCommandMix: commands.byCommand,
    }),
  };
}

/** W1 with results nobody reads: the same drain on a worker that keeps no result of a success (Tasklane's ignoreResult, BullMQ's removeOnComplete { count: 0 }). */
export async function w1Unkept(target: CaseTarget, counts: Counts, progress: (m: string) => void): Promise<Line[]> {
  const queue = queueName('w1u');
  const worker = await target.system.worker({ pool: target.pool, concurrency: target.concurrency, queue, ignoreResult: true });
  try {
    return [await noopDrain('W1-ignore', target, worker, queue, counts.w1Tasks, progress)];
  } finally {
    await worker.close();
  }
}

/** W1: n no-op tasks enqueued first, then drained; then sequential round trips on the same worker. */
export async function w1(target: CaseTarget, counts: Counts, progress: (m: string) => void): Promise<Line[]> {
  const queue = queueName('w1');
  const worker = await target.system.worker({ pool: target.pool, concurrency: target.concurrency, queue });
  try {
    const drain = await noopDrain('W1', target, worker, queue, counts.w1Tasks, progress);

    progress(`${counts.roundTrips} sequential round trips`);
    const roundTrip = () => within(30_000, 'a round trip', target.system.roundTrip(queue, { workload: 'noop', arg: 0 }));
    for (let i = 0; i < Math.min(20, counts.roundTrips); i++) await roundTrip(); // warm-up, not counted
    await target.probe?.reset();
    const samples: number[] = [];
    for (let i = 0; i < counts.roundTrips; i++) {
      const started = performance.now();
      await roundTrip();
      samples.push(performance.now() - started);
    }
    const rttCommands = await target.probe?.perTask(samples.length);
    const pingMs = await target.probe?.pingMs();
    const rtt: Line = {
      ...head('W1-rtt', target), roundTrips: samples.length,
      p50Ms: round(percentile(samples, 50), 3), p99Ms: round(percentile(samples, 99), 3),
      ...(rttCommands && { redisCommandsPerRoundTrip: rttCommands.total, redisCommandMix: rttCommands.byCommand }),
      ...(pingMs !== undefined && { redisPingP50Ms: round(pingMs, 3) }),
    };
    return [drain, rtt];
  } finally {
    await worker.close();
  }
}

/** Wall times of one CPU task run right here, three times: t_single of W2's ideal, taken in the same run. */
function timeSingle(iterations: number): number[] {
  return [0, 1, 2].map(() => {
    const started = performance.now();
    spin(iterations);
    return performance.now() - started;
  });
}

/** Why a pool cannot reach W2's ideal, said in its line rather than left to be misread. */
function w2Note(pool: string, concurrency: number): string | undefined {
  if (pool === 'solo' || pool === 'async') return `${pool} runs JS tasks on one thread: at most 1/${cores} of the ideal by design`;
  if (concurrency < cores) return `concurrency ${concurrency} < ${cores} cores`;
  return undefined;
}

const W2_BURSTS = 3;

/** W2: ~100 ms CPU tasks enqueued first, then drained by a warm worker; efficiency = (n × t_single / cores) / measured (median of W2_BURSTS bursts). */
export async function w2(target: CaseTarget, counts: Counts, progress: (m: string) => void): Promise<Line[]> {
  const queue = queueName('w2');
  const job: Job = { workload: 'spin', arg: counts.spinIterations };
  const worker = await target.system.worker({ pool: target.pool, concurrency: target.concurrency, queue });
  try {
    progress('warm up');
    const warmN = Math.min(target.concurrency, cores);
    const warm = await worker.expect(warmN, { start: true });
    await target.system.enqueue(queue, jobs(warmN, job));
    await warm.done;
    await worker.pause();

    const n = counts.w2Tasks;
    // Three bursts, the median reported: one 1.6 s burst on a shared two-core machine moves by
    // several per cent with whatever else runs; each burst has its own t_single and control.
    const bursts: Line[] = [];
    for (let burst = 1; burst <= W2_BURSTS; burst++) {
      progress(`burst ${burst}/${W2_BURSTS}: enqueue ${n} CPU tasks`);
      await target.system.enqueue(queue, jobs(n, job));
      // t_single is sampled before and after the burst: on a shared machine the load drifts.
      const before = timeSingle(counts.spinIterations);
      progress(`drain (t_single before ${round(percentile(before, 50), 1)} ms)`);
      const { done } = await worker.expect(n, { start: true });
      const { ms: measuredMs, cpuMs } = await done;
      await worker.pause();
      const tSingleMs = percentile([...before, ...timeSingle(counts.spinIterations)], 50);
      const idealMs = (n * tSingleMs) / cores;
      progress('control: the same tasks on bare threads');
      const controlMs = await bareThreadsMs(n, counts.spinIterations, cores);
      bursts.push({
        tSingleMs: round(tSingleMs), idealMs: round(idealMs), measuredMs: round(measuredMs), efficiency: round(idealMs / measuredMs, 3),
        // The machine's share at that moment: ideal / bare threads; and the pool against bare threads.
        controlMs: round(controlMs), controlEfficiency: round(idealMs / controlMs, 3), vsBareThreads: round(controlMs / measuredMs, 3),
        // The worker process's own CPU per task (not its prefork children's): on two busy cores it
        // is taken from the tasks.
        workerCpuUsPerTask: round((cpuMs * 1000) / n, 0),
      });
    }
    const median = [...bursts].sort((a, b) => (a.efficiency as number) - (b.efficiency as number))[Math.floor(bursts.length / 2)];
    const note = w2Note(target.pool, target.concurrency);
    return [{
      ...head('W2', target), tasks: n, cores, ...median,
      burstEfficiencies: bursts.map((b) => b.efficiency), load1: round(loadavg()[0]),
      ...(note && { note }),
    }];
  } finally {
    await worker.close();
  }
}

/** W3: 5,000 tasks awaiting 200 ms at concurrency 500 (issue 2). */
export function w3(target: CaseTarget, counts: Counts, progress: (m: string) => void): Promise<Line[]> {
  return timerWaits('W3', target, counts.w3Tasks, counts.w3WaitMs, progress);
}

/** W3 at 10,000: 50,000 tasks awaiting 2 s at concurrency 10,000 (issue 12), bound by concurrency, not throughput. */
export function w3k(target: CaseTarget, counts: Counts, progress: (m: string) => void): Promise<Line[]> {
  return timerWaits('W3-10k', target, counts.w3kTasks, counts.w3kWaitMs, progress);
}

/**
 * Timer-awaiting tasks enqueued first, then drained by a warm worker at high concurrency;
 * efficiency = (n × wait / concurrency) / measured. Memory per in-flight task: the worker
 * process's peak during the drain less its memory when paused and warm, over the concurrency.
 */
async function timerWaits(bench: string, target: CaseTarget, n: number, waitMs: number, progress: (m: string) => void): Promise<Line[]> {
  const queue = queueName(bench.toLowerCase());
  const worker = await target.system.worker({ pool: target.pool, concurrency: target.concurrency, queue });
  try {
    progress('warm up');
    const warmN = Math.min(50, target.concurrency);
    const warm = await worker.expect(warmN, { start: true });
    await target.system.enqueue(queue, jobs(warmN, { workload: 'wait', arg: 10 }));
    await warm.done;

    await worker.pause();

    progress(`enqueue ${n} tasks awaiting ${waitMs} ms`);
    await target.system.enqueue(queue, jobs(n, { workload: 'wait', arg: waitMs }));
    progress(`drain at concurrency ${target.concurrency}`);
    await target.probe?.reset();
    const { done } = await worker.expect(n, { start: true });
    const { ms: measuredMs, cpuMs, memory } = await done;
    const commands = await target.probe?.perTask(n);
    const idealMs = (n * waitMs) / target.concurrency;
    const inFlight = Math.min(n, target.concurrency);
    return [{
      ...head(bench, target), tasks: n, waitMs, idealMs: round(idealMs),
      measuredMs: round(measuredMs), efficiency: round(idealMs / measuredMs, 3),
      // Near 1 the worker's own per-task CPU, not the waiting, sets the pace.
      workerCpuShare: round(cpuMs / measuredMs, 2), workerCpuUsPerTask: round((cpuMs * 1000) / n, 0),
      rssPerInFlightKb: round((memory.rssPeak - memory.rssBase) / inFlight / 1024, 2),
      heapPerInFlightKb: round((memory.heapPeak - memory.heapBase) / inFlight / 1024, 2),
      // Of the rss: pages mapped from files (the embedded broker's store, in the page cache, shared
      // with every process on that store: Redis's memory, for a worker on Redis), and the rest.
      ...(memory.fileBackedAtPeak !== undefined && memory.fileBackedBase !== undefined && {
        fileBackedPerInFlightKb: round((memory.fileBackedAtPeak - memory.fileBackedBase) / inFlight / 1024, 2),
        privatePerInFlightKb: round((memory.rssPeak - memory.fileBackedAtPeak - (memory.rssBase - memory.fileBackedBase)) / inFlight / 1024, 2),
      }),
      rssPeakMb: round(memory.rssPeak / 1048576, 1),
      ...(commands && { redisCommandsPerTask: commands.total, redisCommandMix: commands.byCommand }),
      load1: round(loadavg()[0]),
    }];
  } finally {
    await worker.close();
  }
}

/** W3 for a pool where hundreds of concurrent tasks make no sense: the line says so instead of a number. */
export function w3NotApplicable(bench: string, target: CaseTarget, reason: string): Line {
  return { ...head(bench, target), skipped: reason };
}

/**
 * The heap each in-flight task keeps alive at 10,000 (live-heap.ts / bullmq/live-heap.mjs, in a
 * process of their own: they start a worker in-process and force a full GC). The steady figure
 * beside W3-10k's rss peak, which moves with when V8 collects.
 */
export async function liveHeap(system: 'tasklane' | 'bullmq', broker: string, script: string, args: string[]): Promise<Line> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=tasklane-source', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (data) => { out += data; });
  const [code] = await once(child, 'exit');
  const measured = out.trim().split('\n').map((text) => JSON.parse(text) as Line).find((line) => line.bench === 'live-heap');
  if (code !== 0 || !measured) throw new Error(`${script} ended with exit code ${code} and no measurement`);
  return {
    bench: 'live-heap', system, broker, pool: system === 'bullmq' ? 'in-process' : 'async',
    concurrency: measured.inFlight, liveHeapPerInFlightKb: measured.liveHeapPerInFlightKb,
  };
}
