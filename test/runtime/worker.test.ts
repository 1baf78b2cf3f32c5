// Worker semantics on memory:// with the in-process pools: results with timings, events, retries
// with backoff, context().retry(), countdown, expires, rate limits, bounded prefetch, late ack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { PoolKind, TaskEvent } from '../../runtime/src/protocol.ts';
import { TaskError } from '../../runtime/src/result.ts';
import { retryDelayMs } from '../../runtime/src/worker/backoff.ts';
import { parseRateLimit } from '../../runtime/src/worker/rate-limit.ts';
import { createWorker, type WorkerOptions } from '../../runtime/src/worker/worker.ts';
import { defaultPrefetch } from '../../runtime/src/pool/defaults.ts';

import { add, again, app, broken, dieOnce, flaky, limited, now, sleepy } from '../fixtures/worker/tasks.ts';

// The fixture app reads its broker on first use.
const BROKER = 'memory://worker-test';
process.env.TASKLANE_BROKER = BROKER;
const appPath = join(__dirname, '../fixtures/worker/tasks.ts');

const quiet = new Logger('worker test', 'error', () => {});

async function startWorker(pool: PoolKind, queues: string[], extra: Partial<WorkerOptions> = {}) {
  const worker = createWorker({ broker: createBroker(BROKER), ownsBroker: true, pool, queues, app: appPath, logger: quiet, fetchWaitMs: 100, ...extra });
  await worker.start();
  return worker;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function collect(types: TaskEvent['type'][]) {
  const events: TaskEvent[] = [];
  const unsubscribe = await (await app.broker()).subscribe((event) => { if (types.includes(event.type)) events.push(event); });
  return { events, unsubscribe };
}

test('a task runs and its result carries state, timings, worker and pool; events are emitted', async () => {
  const worker = await startWorker('async', ['w1']);
  const { events, unsubscribe } = await collect(['task-received', 'task-started', 'task-succeeded']);
  const r = await add.applyAsync([2, 3], { queue: 'w1' });
  assert.equal(await r.get({ timeout: '10s' }), 5);
  const stored = (await r.result())!;
  assert.equal(stored.state, 'SUCCESS');
  assert.equal(stored.pool, 'async');
  assert.equal(stored.worker, worker.name);
  assert.equal(typeof stored.wallMs, 'number');
  assert.equal(typeof stored.cpuMs, 'number');
  await until(() => events.some((e) => e.id === r.id && e.type === 'task-succeeded'));
  await worker.stop();
  await unsubscribe();
  assert.deepEqual(events.filter((e) => e.id === r.id).map((e) => e.type), ['task-received', 'task-started', 'task-succeeded']);
});

test('failures are retried with exponential backoff until they succeed or run out', async () => {
  const worker = await startWorker('solo', ['w2']);
  const { events, unsubscribe } = await collect(['task-retried', 'task-failed']);
  const ok = await flaky.applyAsync([2], { queue: 'w2' });
  assert.deepEqual(await ok.get({ timeout: '10s' }), { attempts: 3 });
  const retried = events.filter((e) => e.id === ok.id && e.type === 'task-retried');
  assert.deepEqual(retried.map((e) => e.retries), [1, 2]);
  assert.match(retried[0].reason ?? '', /attempt 1 fails/);

  const bad = await broken.applyAsync([], { queue: 'w2' });
  await assert.rejects(bad.get({ timeout: '10s' }), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.equal(error.remote.name, 'TypeError');
    assert.match(error.remote.stack ?? '', /tasks\.ts/);
    return true;
  });
  // Events follow the stored result and the ack.
  await until(() => events.some((e) => e.id === bad.id && e.type === 'task-failed'));
  assert.equal(events.filter((e) => e.id === bad.id).map((e) => e.type).join(), 'task-retried,task-failed');

  const asked = await again.applyAsync([], { queue: 'w2' });
  await assert.rejects(asked.get({ timeout: '10s' }), /not ready yet/);
  await until(() => events.some((e) => e.id === asked.id && e.type === 'task-failed'));
  const last = events.filter((e) => e.id === asked.id);
  assert.deepEqual(last.map((e) => e.type), ['task-retried', 'task-retried', 'task-failed']);
  assert.match(last[2].reason ?? '', /max retries \(2\) exceeded: not ready yet/);
  await unsubscribe();
  await worker.stop();
});

test('a crashed execution (its child died) is retried by the task\'s retry policy, never silently lost', async () => {
  const worker = await startWorker('prefork', ['w8'], { concurrency: 1 });
  const { events, unsubscribe } = await collect(['task-retried']);
  const r = await dieOnce.applyAsync([], { queue: 'w8' });
  assert.equal(await r.get({ timeout: '60s' }), 'survived');
  const [retried] = events.filter((e) => e.id === r.id);
  assert.ok(retried, 'the crash was retried');
  assert.ok(retried.reason && retried.error, 'with the reason');
  assert.equal(await (await add.applyAsync([1, 2], { queue: 'w8' })).get({ timeout: '60s' }), 3, 'the worker still serves');
  await unsubscribe();
  await worker.stop();
});

test('retry delays double from the base, keep at least half, and stop at the cap', () => {
  const options = { retryBackoff: '1s', retryBackoffMax: '5s' };
  assert.deepEqual([0, 1, 2].map((n) => retryDelayMs(n, options, () => 0)), [500, 1000, 2000]);
  assert.deepEqual([0, 1, 2].map((n) => retryDelayMs(n, options, () => 1)), [1000, 2000, 4000]);
  assert.equal(retryDelayMs(10, options, () => 1), 5000);
  assert.equal(parseRateLimit('10/s'), 100);
  assert.equal(parseRateLimit('2/m'), 30_000);
  assert.throws(() => parseRateLimit('ten per second'), /use "<count>\/<s\|m\|h>"/);
});

test('countdown holds a task back; an expired task is revoked with a reason instead of run', async () => {
  const worker = await startWorker('async', ['w3']);
  const sentAt = Date.now();
  const later = await now.applyAsync([], { queue: 'w3', countdown: 300 });
  const ranAt = await later.get({ timeout: '10s' });
  assert.ok(ranAt >= sentAt + 300, 'not started before its countdown');

  const stale = await add.applyAsync([1, 1], { queue: 'w3', expires: new Date(Date.now() - 1000) });
  await assert.rejects(stale.get({ timeout: '10s' }), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.equal(error.state, 'REVOKED');
    assert.match(error.message, /expired at .* before it started/);
    return true;
  });
  assert.equal(await stale.state(), 'REVOKED');
  await worker.stop();
});

test('a rate limit spaces the starts of a task on a worker', async () => {
  const worker = await startWorker('async', ['w4'], { concurrency: 10 });
  const { events, unsubscribe } = await collect(['task-started']);
  const sent = await Promise.all(Array.from({ length: 4 }, () => limited.applyAsync([], { queue: 'w4' })));
  await Promise.all(sent.map((r) => r.get({ timeout: '30s' })));
  await until(() => events.length >= 4);
  // The worker's start events are stamped when the limiter lets each task go.
  const starts = events.map((e) => e.ts).sort((a, b) => a - b);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 100, `starts ${starts.join(', ')} are 100ms apart`);
  await unsubscribe();
  await worker.stop();
});

test('prefetch is bounded: a busy worker reserves only its free slots plus the prefetch bound', async () => {
  const worker = await startWorker('async', ['w5'], { concurrency: 2, prefetch: 1 });
  const broker = await app.broker();
  const { events, unsubscribe } = await collect(['task-started']);
  const sent = await Promise.all(Array.from({ length: 8 }, () => sleepy.applyAsync([400], { queue: 'w5' })));
  await until(() => events.length >= 2);
  // Two running, one prefetched: the other five wait in the broker for any worker to take.
  assert.deepEqual(await broker.queueLengths(['w5']), { w5: 5 });
  assert.equal(worker.info().active.length, 2);
  await Promise.all(sent.map((r) => r.get({ timeout: '20s' })));
  await unsubscribe();
  await worker.stop();
});

test('prefetch defaults: one message for executor pools, a wave of replacements for async', async () => {
  assert.equal(defaultPrefetch('prefork', 4), 1);
  assert.equal(defaultPrefetch('threads', 2), 1);
  assert.equal(defaultPrefetch('solo', 1), 1);
  assert.equal(defaultPrefetch('async', 500), 500);
  assert.equal(defaultPrefetch('async', 10_000), 1000);
  const worker = await startWorker('async', ['w5d'], { concurrency: 2 });
  const broker = await app.broker();
  const { events, unsubscribe } = await collect(['task-started']);
  const sent = await Promise.all(Array.from({ length: 8 }, () => sleepy.applyAsync([400], { queue: 'w5d' })));
  await until(() => events.length >= 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Two running, two reserved to replace them: four wait in the broker.
  assert.deepEqual(await broker.queueLengths(['w5d']), { w5d: 4 });
  await Promise.all(sent.map((r) => r.get({ timeout: '20s' })));
  await unsubscribe();
  await worker.stop();
});

test('with every slot busy, the prefetched messages are refilled half a prefetch at a time, not one fetch per finished task', async () => {
  const broker = createBroker(BROKER);
  const fetched: number[] = [];
  const counting = new Proxy(broker, {
    get(target, key) {
      if (key === 'fetch') return (...args: Parameters<typeof broker.fetch>) => target.fetch(...args).then((d) => { if (d.length) fetched.push(d.length); return d; });
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  // Waits of different lengths: slots free up one at a time, as they do in production.
  const sent = await Promise.all(Array.from({ length: 200 }, (_, i) => sleepy.applyAsync([5 + (i % 7) * 3], { queue: 'w5r' })));
  const worker = await startWorker('async', ['w5r'], { broker: counting, concurrency: 10 });
  await Promise.all(sent.map((r) => r.get({ timeout: '20s' })));
  await worker.stop();
  assert.equal(fetched.reduce((a, b) => a + b, 0), 200);
  // 20 first (10 slots, 10 prefetched), then at least 5 (half the prefetch) per fetch: ~40 fetches; one per task would be ~180.
  assert.ok(fetched.length <= 50, `${fetched.length} fetches: ${fetched.join(' ')}`);
});

test('late ack: a task whose worker stopped cold mid-task is delivered again and completes', async () => {
  const url = 'memory://worker-test?visibilityTimeout=300ms';
  const first = await startWorker('async', ['w6'], { broker: createBroker(url) });
  const { events, unsubscribe } = await collect(['task-started']);
  const r = await sleepy.applyAsync([60_000], { queue: 'w6' });
  await until(() => events.some((e) => e.id === r.id));
  await first.stop({ graceful: false });
  assert.equal(await r.state(), 'PENDING', 'the killed attempt stored nothing and acked nothing');

  const short = await sleepy.applyAsync([10], { queue: 'w6' });
  const second = await startWorker('async', ['w6'], { broker: createBroker(url) });
  await short.get({ timeout: '10s' });
  // The long one is back too: a second worker picks it up after the visibility timeout.
  await until(() => events.filter((e) => e.id === r.id).length >= 2);
  await unsubscribe();
  await second.stop({ graceful: false });
});

test('a long task keeps its reservation (broker.extend), so no other worker gets it meanwhile', async () => {
  const url = 'memory://worker-test?visibilityTimeout=300ms';
  const busy = await startWorker('async', ['w7'], { broker: createBroker(url), extendIntervalMs: 100 });
  const { events, unsubscribe } = await collect(['task-started']);
  const r = await sleepy.applyAsync([1200], { queue: 'w7' });
  await until(() => events.some((e) => e.id === r.id));
  const idle = await startWorker('async', ['w7'], { broker: createBroker(url), name: 'idle' });
  await r.get({ timeout: '10s' });
  assert.deepEqual(events.filter((e) => e.id === r.id).map((e) => e.worker), [busy.name], 'started once, on the first worker');
  await unsubscribe();
  await Promise.all([busy.stop(), idle.stop()]);
});

test.after(async () => {
  await app.close();
});
