// One contract, every broker: memory://, file:// (embedded) and redis:// on a real redis-server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createBroker, type Broker, type BrokerOptions } from '../../runtime/src/broker/index.ts';
import type { TaskEvent, TaskMessage, TaskResult, WorkerInfo } from '../../runtime/src/protocol.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function message(queue: string, fields: Partial<TaskMessage> = {}): TaskMessage {
  return { id: randomUUID(), task: 'demo.add', args: [1, 2], queue, retries: 0, createdAt: Date.now(), ...fields };
}

function result(id: string): TaskResult {
  return { id, task: 'demo.add', state: 'SUCCESS', result: { sum: 3 }, wallMs: 1, cpuMs: 1, finishedAt: Date.now() };
}

function workerInfo(name: string): WorkerInfo {
  return {
    name, hostname: 'h', pid: process.pid, pool: 'async', concurrency: 10, queues: ['default'], startedAt: Date.now(),
    processed: 0, failed: 0, active: [], registered: ['demo.add'],
  };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Each kind hands out brokers sharing one backing store per test (a fresh one per `fresh()`). */
interface Kind {
  name: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  fresh(): (options?: BrokerOptions) => Broker;
}

let redis: RedisServer | undefined;
const dirs: string[] = [];

const kinds: Kind[] = [
  { name: 'memory', fresh: () => { const name = `t${randomUUID().slice(0, 8)}`; return (o) => createBroker(`memory://${name}`, o); } },
  {
    name: 'file',
    fresh: () => {
      const dir = mkdtempSync(join(tmpdir(), 'tasklane-broker-'));
      dirs.push(dir);
      return (o) => createBroker(`file://${dir}`, o);
    },
    async teardown() { for (const d of dirs) rmSync(d, { recursive: true, force: true }); },
  },
  {
    name: 'redis',
    async setup() { redis = await startRedis(); },
    async teardown() { await redis?.stop(); },
    fresh: () => { const prefix = `t${randomUUID().slice(0, 8)}`; return (o) => createBroker(redis!.url, { prefix, ...o }); },
  },
];

for (const kind of kinds) {
  describe(`broker contract: ${kind.name}`, { timeout: 120_000 }, () => {
    const open: Broker[] = [];
    let make: (options?: BrokerOptions) => Broker;
    /** A connected broker on this test's store, closed after the suite. */
    const broker = async (options?: BrokerOptions) => {
      const b = make(options);
      open.push(b);
      await b.connect();
      return b;
    };

    before(async () => { await kind.setup?.(); });
    after(async () => {
      await Promise.all(open.map((b) => b.close()));
      await kind.teardown?.();
    });

    const it = (name: string, fn: () => Promise<void>) => test(name, { timeout: 60_000 }, async () => {
      make = kind.fresh();
      await fn();
    });

    it('publishes, fetches in order and acks', async () => {
      const b = await broker();
      const sent = [message('q'), message('q'), message('q')];
      for (const m of sent) await b.publish(m);
      assert.deepEqual(await b.queueLengths(['q', 'other']), { q: 3, other: 0 });
      const got = await b.fetch(['q'], 10, { waitMs: 0 });
      assert.deepEqual(got.map((d) => d.message?.id), sent.map((m) => m.id));
      assert.deepEqual(got[0].message, sent[0]);
      assert.equal(got[0].queue, 'q');
      assert.equal(got[0].deliveryCount, 1);
      assert.equal(JSON.parse(got[0].raw).id, sent[0].id);
      assert.deepEqual(await b.queueLengths(['q']), { q: 0 });
      await b.ack(got);
      assert.deepEqual(await b.fetch(['q'], 10, { waitMs: 0 }), []);
    });

    it('fetches in batches of at most max', async () => {
      const b = await broker();
      for (let i = 0; i < 10; i++) await b.publish(message('q', { args: [i] }));
      const sizes: number[] = [];
      const seen: unknown[] = [];
      for (let batch = await b.fetch(['q'], 4, { waitMs: 0 }); batch.length; batch = await b.fetch(['q'], 4, { waitMs: 0 })) {
        sizes.push(batch.length);
        seen.push(...batch.map((d) => d.message?.args[0]));
        await b.ack(batch);
      }
      assert.deepEqual(sizes, [4, 4, 2]);
      assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('prefers queues in the order given', async () => {
      const b = await broker();
      await b.publish(message('low'));
      await b.publish(message('high'));
      const [first] = await b.fetch(['high', 'low'], 1, { waitMs: 0 });
      assert.equal(first.queue, 'high');
      const [second] = await b.fetch(['high', 'low'], 1, { waitMs: 0 });
      assert.equal(second.queue, 'low');
    });

    it('a waiting fetch wakes when a message is published, and an abort ends it empty', async () => {
      const consumer = await broker();
      const producer = await broker();
      const waiting = consumer.fetch(['q'], 5, { waitMs: 30_000 });
      await sleep(100);
      const m = message('q');
      await producer.publish(m);
      const got = await waiting;
      assert.deepEqual(got.map((d) => d.message?.id), [m.id]);

      const controller = new AbortController();
      const aborted = consumer.fetch(['q'], 5, { waitMs: 30_000, signal: controller.signal });
      await sleep(100);
      controller.abort();
      assert.deepEqual(await aborted, []);
    });

    it('holds a message with a future eta until then', async () => {
      const b = await broker();
      const eta = Date.now() + 400;
      const m = message('q', { eta });
      await b.publish(m);
      assert.deepEqual(await b.fetch(['q'], 10, { waitMs: 0 }), []);
      assert.deepEqual(await b.queueLengths(['q']), { q: 1 });
      const got = await b.fetch(['q'], 10, { waitMs: 20_000 });
      assert.deepEqual(got.map((d) => d.message?.id), [m.id]);
      assert.ok(Date.now() >= eta, 'delivered before its eta');
    });

    it('redelivers an unacknowledged message after the visibility timeout, counting deliveries', async () => {
      const b = await broker({ visibilityTimeoutMs: 300 });
      const m = message('q');
      await b.publish(m);
      const [first] = await b.fetch(['q'], 1, { waitMs: 0 });
      assert.equal(first.deliveryCount, 1);
      const [second] = await b.fetch(['q'], 1, { waitMs: 20_000 });
      assert.equal(second.message?.id, m.id);
      assert.equal(second.deliveryCount, 2);
      await b.ack([second]);
      const [third] = await b.fetch(['q'], 1, { waitMs: 0 });
      assert.equal(third, undefined);
    });

    it('release gives a message back at once without counting a delivery', async () => {
      const b = await broker();
      const m = message('q');
      await b.publish(m);
      const got = await b.fetch(['q'], 1, { waitMs: 0 });
      await b.release(got);
      assert.deepEqual(await b.queueLengths(['q']), { q: 1 });
      const [again] = await b.fetch(['q'], 1, { waitMs: 0 });
      assert.equal(again.message?.id, m.id);
      assert.equal(again.deliveryCount, 1);
    });

    it('extend keeps a long-running message reserved', async () => {
      const holder = await broker({ visibilityTimeoutMs: 1500 });
      const other = await broker({ visibilityTimeoutMs: 1500 });
      await holder.publish(message('q'));
      const got = await holder.fetch(['q'], 1, { waitMs: 0 });
      const keep = setInterval(() => { holder.extend(got).catch(() => undefined); }, 250);
      try {
        assert.deepEqual(await other.fetch(['q'], 1, { waitMs: 3000 }), []);
      } finally {
        clearInterval(keep);
      }
      // Once nobody extends it, it comes back.
      const [back] = await other.fetch(['q'], 1, { waitMs: 20_000 });
      assert.equal(back.message?.id, got[0].message?.id);
      assert.equal(back.deliveryCount, 2);
    });

    it('dead-letters with the reason, newest first, and never redelivers', async () => {
      const b = await broker({ visibilityTimeoutMs: 200 });
      await b.publish(message('q', { task: 'nope.one' }));
      await b.publish(message('q', { task: 'nope.two' }));
      const [one, two] = await b.fetch(['q'], 2, { waitMs: 0 });
      await b.deadLetter(one, 'unknown task "nope.one"');
      await b.deadLetter(two, 'unknown task "nope.two"');
      const letters = await b.deadLetters();
      assert.deepEqual(letters.map((l) => l.reason), ['unknown task "nope.two"', 'unknown task "nope.one"']);
      assert.equal(letters[0].queue, 'q');
      assert.equal(JSON.parse(letters[0].raw).task, 'nope.two');
      assert.equal((await b.deadLetters(1)).length, 1);
      assert.deepEqual(await b.fetch(['q'], 2, { waitMs: 600 }), []);
    });

    it('purges waiting messages (ready and delayed) and counts them', async () => {
      const b = await broker();
      for (let i = 0; i < 5; i++) await b.publish(message('q'));
      await b.publish(message('q', { eta: Date.now() + 60_000 }));
      await b.publish(message('kept'));
      const reserved = await b.fetch(['q'], 1, { waitMs: 0 });
      assert.equal(reserved.length, 1);
      assert.equal(await b.purge(['q']), 5);
      assert.deepEqual(await b.queueLengths(['q', 'kept']), { q: 0, kept: 1 });
      await b.ack(reserved);
    });

    it('stores results with a TTL and pushes them to waiters', async () => {
      const producer = await broker();
      const worker = await broker();
      const r = result(randomUUID());
      const waiting = producer.waitForResult(r.id, 30_000);
      await sleep(100);
      await worker.storeResult(r, 60_000);
      assert.deepEqual(await waiting, r);
      assert.deepEqual(await producer.getResult(r.id), r);
      assert.deepEqual(await producer.waitForResult(r.id, 10), r);
      assert.equal(await producer.waitForResult(randomUUID(), 200), undefined);
      const controller = new AbortController();
      const aborted = producer.waitForResult(randomUUID(), 30_000, controller.signal);
      controller.abort();
      assert.equal(await aborted, undefined);

      const short = result(randomUUID());
      await worker.storeResult(short, 200);
      assert.deepEqual(await producer.getResult(short.id), short);
      await until(async () => ((await producer.getResult(short.id)) === undefined ? true : undefined), 'the result to expire');
    });

    it('carries events to subscribers until they unsubscribe', async () => {
      const listener = await broker();
      const emitter = await broker();
      const seen: TaskEvent[] = [];
      const unsubscribe = await listener.subscribe((e) => seen.push(e));
      const event: TaskEvent = { type: 'task-succeeded', ts: Date.now(), id: 'a1', task: 'demo.add', result: 3 };
      await emitter.emit(event);
      await until(() => (seen.length ? true : undefined), 'the event');
      assert.deepEqual(seen, [event]);
      await unsubscribe();
      await emitter.emit({ ...event, id: 'a2' });
      await sleep(300);
      assert.deepEqual(seen.map((e) => e.id), ['a1']);
    });

    it('keeps worker snapshots for their TTL', async () => {
      const b = await broker();
      await b.setWorker(workerInfo('w1'), 60_000);
      await b.setWorker(workerInfo('w2'), 200);
      assert.deepEqual((await b.workers()).map((w) => w.name).sort(), ['w1', 'w2']);
      await until(async () => ((await b.workers()).length === 1 ? true : undefined), 'w2 to expire');
      assert.deepEqual((await b.workers()).map((w) => w.name), ['w1']);
      await b.removeWorker('w1');
      assert.deepEqual(await b.workers(), []);
    });

    it('keeps revocations for their TTL and tells watchers at once; holds finds waiting, delayed and reserved messages', async () => {
      const [producer, consumer] = [await broker(), await broker()];
      const heard: string[] = [];
      const stop = await consumer.watchRevocations((r) => heard.push(`${r.id}:${r.terminate}`));
      await producer.revoke({ id: 'a', terminate: false, ts: Date.now() }, 60_000);
      await producer.revoke({ id: 'b', terminate: true, ts: Date.now() }, 300);
      await until(() => (heard.length === 2 ? true : undefined), 'both revocations to be heard');
      assert.deepEqual(heard.sort(), ['a:false', 'b:true']);
      assert.deepEqual([...await consumer.revoked(['a', 'b', 'c'])].sort(), ['a', 'b']);
      await until(async () => ((await consumer.revoked(['b'])).size === 0 ? true : undefined), 'b to expire');
      assert.deepEqual([...await consumer.revoked(['a', 'b'])], ['a']);
      await stop();

      const [waiting, delayed, reserved] = [message('h'), message('h', { eta: Date.now() + 60_000 }), message('h')];
      await producer.publish(reserved);
      await consumer.fetch(['h'], 1, { waitMs: 1000 });
      await producer.publish(waiting);
      await producer.publish(delayed);
      for (const m of [waiting, delayed, reserved]) assert.equal(await producer.holds(['other', 'h'], m.id), true, m.id);
      assert.equal(await producer.holds(['h'], randomUUID()), false);
      assert.equal(await producer.holds(['other'], waiting.id), false);
    });

    it('delivers undecodable payloads with message undefined', async () => {
      const b = await broker();
      await b.publishRaw('q', 'not json {');
      await b.publishRaw('q', '{"json":"but not a task"}');
      const got = await b.fetch(['q'], 10, { waitMs: 0 });
      assert.deepEqual(got.map((d) => [d.raw, d.message]), [['not json {', undefined], ['{"json":"but not a task"}', undefined]]);
    });
  });
}
