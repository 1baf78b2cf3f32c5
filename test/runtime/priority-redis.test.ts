// Priorities on a real redis-server (redis-lanes.ts): higher levels are fetched first, the lowest
// is still served under a steady stream of urgent tasks, and a priority message is acked,
// released and taken over from a dead consumer like any other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { Broker, BrokerOptions } from '../../runtime/src/broker/broker.ts';
import { sendTask } from '../../runtime/src/contract.ts';
import { Logger } from '../../runtime/src/logger.ts';
import { buildMessage } from '../../runtime/src/message.ts';
import { createWorker, type Worker, type WorkerOptions } from '../../runtime/src/worker/worker.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

let redis: RedisServer;
before(async () => { redis = await startRedis(); });
after(async () => { await redis?.stop(); });

const open: Broker[] = [];
after(async () => { await Promise.all(open.map((b) => b.close())); });

async function connected(prefix: string, options: BrokerOptions = {}): Promise<Broker> {
  const broker = createBroker(redis.url, { prefix, ...options });
  await broker.connect();
  open.push(broker);
  return broker;
}

/** A producer's broker and a worker (not started) on a fresh prefix, consuming `queue` in the async pool. */
async function producerAndWorker(queue: string, options: Partial<WorkerOptions> = {}): Promise<{ broker: Broker; worker: Worker }> {
  const url = `${redis.url}?prefix=${randomUUID().slice(0, 8)}`;
  const broker = createBroker(url);
  await broker.connect();
  open.push(broker);
  const appPath = join(__dirname, '../fixtures/apps/lifecycle.ts');
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool: 'async', queues: [queue], app: appPath, logger: new Logger('prio', 'error', () => {}), ...options });
  return { broker, worker };
}

const message = (queue: string, label: string, priority?: number, eta?: number) =>
  buildMessage('t', [label], queue, {}, { priority, ...(eta ? { eta } : {}) });

test('one batch fetch takes the higher levels first, each in arrival order; a delayed message keeps its level', async () => {
  const broker = await connected(randomUUID().slice(0, 8));
  await broker.publish(message('q', 'low-1'));
  await broker.publish(message('q', 'high-1', 9));
  await broker.publish(message('q', 'mid-1', 5));
  await broker.publish(message('q', 'low-2', 0));
  await broker.publish(message('q', 'high-2', 200));
  await broker.publish(message('q', 'some-1', 2));
  await broker.publish(message('q', 'high-late', 9, Date.now() + 300));
  assert.deepEqual(await broker.queueLengths(['q']), { q: 7 });
  const first = await broker.fetch(['q'], 10, { waitMs: 0 });
  assert.deepEqual(first.map((d) => d.message!.args[0]), ['high-1', 'high-2', 'mid-1', 'some-1', 'low-1', 'low-2']);
  assert.ok(first.every((d) => d.queue === 'q'), 'deliveries name the queue, not the lane');
  await broker.ack(first);
  await new Promise((r) => setTimeout(r, 400));
  await broker.publish(message('q', 'low-3'));
  const second = await broker.fetch(['q'], 10, { waitMs: 1000 });
  assert.deepEqual(second.map((d) => d.message!.args[0]), ['high-late', 'low-3']);
  await broker.ack(second);
  assert.deepEqual(await broker.queueLengths(['q']), { q: 0 });
});

test('a priority message is released, taken over from a dead consumer, found by holds and purged like any other', async () => {
  const prefix = randomUUID().slice(0, 8);
  const options = { visibilityTimeoutMs: 10 * 60_000, consumerTimeoutMs: 500 };
  const a = await connected(prefix, options);
  const b = await connected(prefix, options);
  const sent = message('q', 'urgent', 7);
  await a.publish(sent);
  const [taken] = await a.fetch(['q'], 1, { waitMs: 0 });
  assert.equal(taken.message!.id, sent.id);
  assert.equal(await b.holds(['q'], sent.id), true);
  await a.release([taken]);
  const [again] = await b.fetch(['q'], 1, { waitMs: 1000 });
  assert.equal(again.message!.id, sent.id);
  // b dies holding it: a takes it over once b's liveness key is gone.
  await b.close();
  const [over] = await a.fetch(['q'], 1, { waitMs: 3000 });
  assert.equal(over?.message?.id, sent.id, 'taken over from the dead consumer');
  await a.ack([over]);
  assert.equal(await a.holds(['q'], sent.id), false);
  await a.publish(message('q', 'x', 9));
  await a.publish(message('q', 'y'));
  assert.equal(await a.purge(['q']), 2);
});

test('an idle worker blocked on a queue that never had a priority gets its first priority task', { timeout: 60_000 }, async () => {
  const { broker, worker } = await producerAndWorker('idle');
  await worker.start();
  try {
    await (await sendTask(broker, 'life.where', [], { apply: { queue: 'idle' } })).result.get({ timeout: '30s' });
    await new Promise((r) => setTimeout(r, 300));
    const urgent = await sendTask(broker, 'life.where', [], { apply: { queue: 'idle', priority: 8 } });
    assert.equal(typeof (await urgent.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
    const delayed = await sendTask(broker, 'life.where', [], { apply: { queue: 'idle', priority: 2, countdown: '200ms' } });
    assert.equal(typeof (await delayed.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
  } finally {
    await worker.stop();
  }
});

test('a steady stream of urgent tasks does not starve a task without priority (real worker)', { timeout: 120_000 }, async () => {
  const { broker, worker } = await producerAndWorker('p', { concurrency: 1, prefetch: 1, fetchWaitMs: 100 });
  const send = (priority?: number) => sendTask(broker, 'life.where', [], { apply: { queue: 'p', priority } });
  const urgent = [];
  for (let i = 0; i < 20; i++) urgent.push((await send(9)).result);
  const plain = (await send()).result;
  await worker.start();
  try {
    // Keep 20 urgent tasks waiting: a strict order would never reach the plain one.
    let done = 0;
    while (!(await plain.result()) && done < 400) {
      const finished = (await Promise.all(urgent.map((r) => r.result()))).filter(Boolean).length;
      for (; done < finished; done++) urgent.push((await send(9)).result);
      await new Promise((r) => setTimeout(r, 5));
    }
    const plainAt = (await plain.get({ timeout: '30s' }) as { at: number }).at;
    const before = (await Promise.all(urgent.map((r) => r.result()))).filter((r) => r && (r.result as { at: number }).at < plainAt).length;
    assert.ok(before >= 1, 'urgent tasks went first');
    assert.ok(before <= 20, `the plain task waited for ${before} urgent ones; every 4th fetch reads the lowest level first, so it waits for a few, not for the stream`);
  } finally {
    await worker.stop();
  }
});
