// `npm run chaos -- --soak`: many no-op tasks through one async worker per broker (a million on
// Redis, 200,000 on the embedded broker by default), sampling what could grow without bound: the
// worker's RSS, Redis's used_memory, the embedded broker's folder. Results are kept for
// --result-ttl (the config's resultTtl), short, so a run shows whether expired results go away.
// stdout: one JSON line per broker.
import { mkdtempSync, readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createBroker, type Broker } from 'tasklane/broker';
import { buildMessage } from 'tasklane/contract';
import { toMs } from '../../runtime/src/duration.ts';
import { DurableRedis, rssOf, startWorkers, writeConfig, type WorkerSpec } from './cluster.ts';

export interface SoakOptions {
  brokers: string[];
  redisTasks: number;
  fileTasks: number;
  resultTtl: string;
  progress: (line: string) => void;
}

const QUEUE = 'soak';
const SPEC: WorkerSpec = { name: 'soak', pool: 'async', concurrency: 100, queues: [QUEUE] };
/** Messages waiting at most: the producer keeps ahead of the worker, not a backlog of the whole run. */
const BACKLOG = 20_000;
const CHUNK = 1000;
const SAMPLE_MS = 10_000;
const MB = 1024 * 1024;

type Sample = Record<string, number>;

/** What one broker's storage holds now. */
type Measure = () => Promise<Sample>;

function redisMeasure(url: string): { measure: Measure; close: () => void } {
  const redis = new Redis(url);
  const measure = async () => {
    const info = await redis.info('memory');
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
    return { redisUsedMB: +(used / MB).toFixed(1), keys: await redis.dbsize() };
  };
  return { measure, close: () => redis.disconnect() };
}

/** Bytes of the files under `dir`, skipping those moved or deleted while it looks (the broker is busy). */
function bytesUnder(dir: string): number {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else total += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

function folderMeasure(dir: string): Measure {
  const files = (sub: string) => {
    try {
      return readdirSync(join(dir, sub)).length;
    } catch {
      return 0;
    }
  };
  return async () => ({
    folderMB: +(bytesUnder(dir) / MB).toFixed(1),
    results: files('results'), spares: files('spare'), deadLetters: files('dead'),
  });
}

async function run(broker: string, tasks: number, o: SoakOptions, dir: string): Promise<Record<string, unknown>> {
  let redis: DurableRedis | undefined;
  let url: string;
  let storage: { measure: Measure; close: () => void };
  if (broker === 'redis') {
    redis = await DurableRedis.start(join(dir, 'data'));
    url = redis.url;
    storage = redisMeasure(url);
  } else {
    url = `file://${join(dir, 'broker')}`;
    storage = { measure: folderMeasure(join(dir, 'broker')), close() {} };
  }
  writeConfig(dir, url, [SPEC], o.resultTtl);
  const producer: Broker = createBroker(url);
  const [worker] = startWorkers(dir, broker, [SPEC]);
  const samples: Sample[] = [];
  try {
    while (!(await producer.workers()).length) await sleep(250);
    const started = Date.now();
    let sent = 0;
    const sample = async () => {
      const waiting = (await producer.queueLengths([QUEUE]))[QUEUE];
      const s = { s: Math.round((Date.now() - started) / 1000), sent, waiting, rssMB: +(rssOf(worker.pid) / MB).toFixed(1), ...await storage.measure() };
      samples.push(s);
      o.progress(`${broker}: ${JSON.stringify(s)}`);
    };
    let nextSample = started;
    const due = async () => {
      if (Date.now() < nextSample) return;
      nextSample += SAMPLE_MS;
      await sample();
    };
    while (sent < tasks) {
      await due();
      if ((await producer.queueLengths([QUEUE]))[QUEUE] > BACKLOG) {
        await sleep(100);
        continue;
      }
      const n = Math.min(CHUNK, tasks - sent);
      await Promise.all(Array.from({ length: n }, () => producer.publish(buildMessage('chaos.noop', [], QUEUE, {}))));
      sent += n;
    }
    // Drained: nothing waiting, and the worker holds nothing (its heartbeat's active list).
    for (;;) {
      await due();
      const [info] = await producer.workers();
      if ((await producer.queueLengths([QUEUE]))[QUEUE] === 0 && info && info.active.length === 0 && info.processed >= tasks) break;
      await sleep(500);
    }
    const seconds = (Date.now() - started) / 1000;
    await sample();
    const end = samples.at(-1)!;
    // After the last result's TTL (and the embedded broker's housekeeping, at most once a minute): what stays.
    let afterTtl: Sample | undefined;
    const ttlMs = toMs(o.resultTtl);
    if (ttlMs <= 120_000) {
      await sleep(ttlMs + (broker === 'file' ? 61_000 : 1000));
      // The embedded broker drops expired results while storing one: one more task starts that;
      // then samples until what is stored stops going down (the sweep has finished), at most a minute.
      await producer.publish(buildMessage('chaos.noop', [], QUEUE, {}));
      const stored = (x: Sample) => x.results ?? x.keys;
      for (let tries = 0; tries < 12; tries++) {
        await sleep(5000);
        const before = samples.at(-1)!;
        await sample();
        if (stored(samples.at(-1)!) >= stored(before)) break;
      }
      afterTtl = samples.at(-1);
    }
    return {
      run: 'soak', broker, pool: SPEC.pool, concurrency: SPEC.concurrency, tasks, resultTtl: o.resultTtl, seconds: +seconds.toFixed(1),
      tasksPerSec: Math.round(tasks / seconds), start: samples[0], middle: samples[Math.floor(samples.length / 2)], end, afterTtl,
      max: Object.fromEntries(Object.keys(samples[0]).map((k) => [k, Math.max(...samples.map((s) => s[k]))])), samples,
    };
  } finally {
    await worker.retire(30_000);
    await producer.close();
    storage.close();
    await redis?.stop();
  }
}

export async function soak(o: SoakOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tasklane-soak-'));
  try {
    for (const broker of o.brokers) {
      const line = await run(broker, broker === 'redis' ? o.redisTasks : o.fileTasks, o, join(dir, broker));
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
