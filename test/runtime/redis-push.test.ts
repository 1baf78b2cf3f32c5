// What the Redis broker pushes, on a real redis-server and a real worker: results on the waiting
// producer's own reply channel (no SUBSCRIBE on the round trip's critical path), and task events
// only while someone subscribes to them (a new subscriber is heard at once).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createBroker, type Broker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { TaskEvent, TaskMessage } from '../../runtime/src/protocol.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
const quiet = new Logger('push', 'error', () => {});
let redis: RedisServer;
const closing: Array<{ close(): Promise<unknown> } | Worker> = [];

before(async () => { redis = await startRedis(); });
after(async () => {
  for (const c of closing.reverse()) await ('stop' in c ? c.stop() : c.close());
  await redis?.stop();
});

const message = (queue: string, task = 'probe.sleep', args: unknown[] = [1]): TaskMessage =>
  ({ id: randomUUID(), task, args, queue, retries: 0, createdAt: Date.now() });

/** A worker on Redis; `sent` collects the types of the events its broker was asked to send. */
async function startWorker(prefix: string, queue: string, sent: string[] = []): Promise<Broker> {
  const broker = createBroker(redis.url, { prefix });
  const counting = new Proxy(broker, {
    get(target, key) {
      if (key === 'emit') return (event: TaskEvent) => { sent.push(event.type); return target.emit(event); };
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const worker = createWorker({ broker: counting, ownsBroker: true, pool: 'async', queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 200 });
  await worker.start();
  closing.push(worker);
  const producer = createBroker(redis.url, { prefix });
  closing.push(producer);
  return producer;
}

test('after its first wait, a producer gets its results pushed on its own reply channel', { timeout: 60_000 }, async () => {
  const prefix = 'reply';
  const producer = await startWorker(prefix, 'q');
  const first = message('q');
  await producer.publish(first);
  assert.equal((await producer.waitForResult(first.id, 10_000))?.state, 'SUCCESS');

  const spy = new Redis(redis.url);
  const pushed: Array<[string, string]> = [];
  spy.on('pmessage', (_pattern: string, channel: string, text: string) => pushed.push([channel, (JSON.parse(text) as { id: string }).id]));
  await spy.psubscribe(`${prefix}:reply:*`);
  try {
    const second = message('q');
    await producer.publish(second);
    assert.equal((await producer.waitForResult(second.id, 10_000))?.state, 'SUCCESS');
    const deadline = Date.now() + 5000;
    while (!pushed.some(([, id]) => id === second.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(pushed.some(([channel, id]) => id === second.id && channel.startsWith(`${prefix}:reply:`)), JSON.stringify(pushed));
    // The first message was published before the reply channel existed: its result was not pushed there.
    assert.ok(!pushed.some(([, id]) => id === first.id));
  } finally {
    spy.disconnect();
  }
});

test('a result is found however it arrives: stored before the wait, or pushed after it', { timeout: 60_000 }, async () => {
  const producer = await startWorker('either', 'q');
  const early = message('q', 'probe.sleep', [1]);
  await producer.publish(early);
  await new Promise((r) => setTimeout(r, 300)); // stored before anyone waits
  const late = message('q', 'probe.sleep', [300]);
  await producer.publish(late);
  const [a, b] = await Promise.all([producer.waitForResult(early.id, 10_000), producer.waitForResult(late.id, 10_000)]);
  assert.equal(a?.id, early.id);
  assert.equal(b?.id, late.id);
});

test('a worker sends task events only while someone subscribes, and hears a new subscriber at once', { timeout: 60_000 }, async () => {
  const sent: string[] = [];
  const producer = await startWorker('events', 'q', sent);
  const unheard = message('q');
  await producer.publish(unheard);
  await producer.waitForResult(unheard.id, 10_000);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(sent.filter((type) => type.startsWith('task-')), [], 'no subscriber: no task events sent');
  assert.ok(sent.includes('worker-online'), 'worker events are always sent');

  const seen: TaskEvent[] = [];
  const unsubscribe = await producer.subscribe((event) => seen.push(event));
  const heard = message('q');
  await producer.publish(heard);
  await producer.waitForResult(heard.id, 10_000);
  const deadline = Date.now() + 5000;
  while (!seen.some((e) => e.id === heard.id && e.type === 'task-succeeded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(seen.filter((e) => e.id === heard.id).map((e) => e.type), ['task-received', 'task-started', 'task-succeeded']);
  await unsubscribe();
});

test('a producer that has stopped waiting stops listening: later results are not pushed to it', { timeout: 60_000 }, async () => {
  const prefix = 'idle';
  const producer = await startWorker(prefix, 'q');
  const first = message('q');
  await producer.publish(first);
  await producer.waitForResult(first.id, 10_000);
  await new Promise((r) => setTimeout(r, 1500)); // past the reply channel's idle time

  const spy = new Redis(redis.url);
  const pushed: string[] = [];
  spy.on('pmessage', (_pattern: string, _channel: string, text: string) => pushed.push((JSON.parse(text) as { id: string }).id));
  await spy.psubscribe(`${prefix}:reply:*`);
  try {
    const later = message('q');
    await producer.publish(later);
    const deadline = Date.now() + 10_000;
    while (!(await producer.getResult(later.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(await producer.getResult(later.id), 'the task ran');
    assert.deepEqual(pushed, [], 'sent after the producer stopped listening: not pushed to it');
  } finally {
    spy.disconnect();
  }
});
