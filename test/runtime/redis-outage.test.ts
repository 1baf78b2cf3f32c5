// Dropped and cut connections between the broker and a real redis-server, through a loopback proxy
// (test/helpers/proxy.ts): a fetch whose reply is lost, an outage of several seconds while tasks
// finish, more finished tasks than a worker keeps, a producer waiting through an outage, a revoke
// pushed while a worker was cut off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBroker, type Broker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { TaskMessage } from '../../runtime/src/protocol.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { startProxy, type TcpProxy } from '../helpers/proxy.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
let redis: RedisServer;
const closing: Array<{ close(): Promise<unknown> } | Worker> = [];

before(async () => { redis = await startRedis(['--requirepass', 'outage-pw']); });
after(async () => {
  for (const c of closing.reverse()) await ('stop' in c ? c.stop() : c.close());
  await redis?.stop();
});

const direct = () => `redis://:outage-pw@127.0.0.1:${redis.port}`;
const through = (proxy: TcpProxy) => `redis://:outage-pw@127.0.0.1:${proxy.port}`;
const message = (queue: string, task = 'probe.sleep', args: unknown[] = [1]): TaskMessage =>
  ({ id: randomUUID(), task, args, queue, retries: 0, createdAt: Date.now() });

function opened<T extends { close(): Promise<unknown> } | Worker>(thing: T): T {
  closing.push(thing);
  return thing;
}

async function proxy(): Promise<TcpProxy> {
  return opened(await startProxy(redis.port));
}

/** Log lines, kept. */
function capture(scope: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger(scope, 'info', (line) => lines.push(line)), lines };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`still waiting for: ${what}`);
    await sleep(20);
  }
}

for (const carrier of ['the fetch script', 'the blocking read'] as const) {
  test(`a fetch whose reply is lost with its connection (${carrier}) is read again from the consumer's reservations`, { timeout: 60_000 }, async () => {
    const queue = `lost-${carrier === 'the fetch script' ? 'script' : 'block'}`;
    const tcp = await proxy();
    const producer = opened(createBroker(direct()));
    // A 30-minute visibility timeout and a live consumer: only its own re-read brings the entry back.
    const consumer = opened(createBroker(through(tcp), { visibilityTimeoutMs: 30 * 60_000 }));
    assert.deepEqual(await consumer.fetch([queue], 10, { waitMs: 0 }), []); // creates the group
    const lost = message(queue);
    const dropped = tcp.dropReplyWhen((chunk) => chunk.includes(lost.id));
    let first: Promise<unknown> | undefined;
    if (carrier === 'the fetch script') {
      await sleep(150); // past the scan interval: the next fetch runs the script
      await producer.publish(lost);
    } else {
      first = consumer.fetch([queue], 10, { waitMs: 5000 });
      await sleep(300); // blocked in the server
      await producer.publish(lost);
    }
    const seen: Array<[string, number]> = [];
    const deadline = Date.now() + 10_000;
    if (first) for (const d of await first as Awaited<ReturnType<Broker['fetch']>>) seen.push([d.message!.id, d.deliveryCount]);
    while (!seen.length && Date.now() < deadline) {
      for (const d of await consumer.fetch([queue], 10, { waitMs: 1000 })) seen.push([d.message!.id, d.deliveryCount]);
    }
    await dropped;
    assert.deepEqual(seen.map(([id]) => id), [lost.id], 'the lost entry is delivered to the consumer it was reserved to');
    assert.equal(seen[0][1], 2, 'counted as delivered twice');
    // Nothing else is pending: the next fetch does not hand it out again.
    assert.deepEqual(await consumer.fetch([queue], 10, { waitMs: 200 }), []);
  });
}

async function startWorker(url: string, queue: string, { concurrency = 20, ...options }: { maxKeptOutcomes?: number; concurrency?: number } = {}) {
  const workerLog = capture('worker');
  const brokerLog = capture('broker');
  const broker = createBroker(url, { logger: brokerLog.logger, ...options });
  const worker = opened(createWorker({
    broker, ownsBroker: true, pool: 'async', concurrency, queues: [queue], app: appPath, logger: workerLog.logger, fetchWaitMs: 200,
  }));
  await worker.start();
  return { worker, workerLog: workerLog.lines, brokerLog: brokerLog.lines };
}

const received = (lines: string[], id: string) => lines.filter((l) => l.includes(`[${id.slice(0, 6)}] received`)).length;

test('an outage of several seconds while tasks finish: every outcome is kept, stored when Redis is back, nothing runs twice', { timeout: 90_000 }, async () => {
  const queue = 'outage';
  const tcp = await proxy();
  const { workerLog, brokerLog } = await startWorker(through(tcp), queue);
  const producer = opened(createBroker(direct()));
  const tasks = Array.from({ length: 8 }, () => message(queue, 'probe.sleep', [1000]));
  for (const m of tasks) await producer.publish(m);
  await until(() => tasks.every((m) => received(workerLog, m.id) === 1), 'every task received');
  tcp.cut();
  await sleep(4000); // the tasks finish meanwhile
  assert.deepEqual(await Promise.all(tasks.map((m) => producer.getResult(m.id))), tasks.map(() => undefined), 'nothing stored during the outage');
  tcp.restore();
  const results = await Promise.all(tasks.map((m) => producer.waitForResult(m.id, 30_000)));
  assert.deepEqual(results.map((r) => r?.state), tasks.map(() => 'SUCCESS'));
  // Fetching resumed by itself.
  const after = message(queue, 'probe.sleep', [1]);
  await producer.publish(after);
  assert.equal((await producer.waitForResult(after.id, 30_000))?.state, 'SUCCESS');
  for (const m of tasks) assert.equal(received(workerLog, m.id), 1, `${m.id} ran once`);
  assert.equal(brokerLog.filter((l) => /unreachable: keeping task outcomes/.test(l)).length, 1, brokerLog.join('\n'));
  assert.equal(brokerLog.filter((l) => /is back after .*: storing \d+ kept task outcome/.test(l)).length, 1, brokerLog.join('\n'));
  assert.deepEqual(workerLog.filter((l) => /could not be settled|fetch from .* failed/.test(l)), []);
  assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 });
});

test('past maxKeptOutcomes the outcomes are given up, said once, and those tasks run again when Redis is back', { timeout: 90_000 }, async () => {
  const queue = 'bound';
  const tcp = await proxy();
  const { workerLog, brokerLog } = await startWorker(through(tcp), queue, { maxKeptOutcomes: 2 });
  const producer = opened(createBroker(direct()));
  const tasks = Array.from({ length: 6 }, (_, i) => message(queue, 'probe.sleep', [500 + 100 * i]));
  for (const m of tasks) await producer.publish(m);
  await until(() => tasks.every((m) => received(workerLog, m.id) === 1), 'every task received');
  tcp.cut();
  await sleep(3000);
  tcp.restore();
  const results = await Promise.all(tasks.map((m) => producer.waitForResult(m.id, 30_000)));
  assert.deepEqual(results.map((r) => r?.state), tasks.map(() => 'SUCCESS'), 'every task has its result in the end');
  assert.equal(brokerLog.filter((l) => /the most allowed \(maxKeptOutcomes\)/.test(l)).length, 1, brokerLog.join('\n'));
  const twice = tasks.filter((m) => received(workerLog, m.id) === 2).length;
  assert.equal(twice, 4, 'two outcomes kept, four given up and run again');
  await until(async () => (await producer.queueLengths([queue]))[queue] === 0, 'queue drained');
});

test('a producer waiting for a result through an outage gets it; a publish during one fails naming the URL without its password', { timeout: 60_000 }, async () => {
  const queue = 'waiting';
  await startWorker(direct(), queue);
  const tcp = await proxy();
  const producer = opened(createBroker(through(tcp), { connectTimeoutMs: 1000 }));
  const slow = message(queue, 'probe.sleep', [1500]);
  await producer.publish(slow);
  const waiting = producer.waitForResult(slow.id, 30_000);
  await sleep(300);
  tcp.cut(); // the result is stored and pushed while the producer is cut off
  await assert.rejects(producer.publish(message(queue)), (error: Error) => {
    assert.match(error.message, new RegExp(`Redis broker at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${tcp.port}`));
    assert.doesNotMatch(error.message, /outage-pw/);
    return true;
  });
  await sleep(2000);
  tcp.restore();
  assert.equal((await waiting)?.state, 'SUCCESS');
});

test('revokes pushed while the worker\'s link is cut reach its running and its reserved task once the link is back', { timeout: 60_000 }, async () => {
  const queue = 'revoke-outage';
  const tcp = await proxy();
  // One slot: the second task waits reserved behind the first.
  const { worker, workerLog } = await startWorker(through(tcp), queue, { concurrency: 1 });
  const producer = opened(createBroker(direct()));
  const task = message(queue, 'probe.waitForAbort', []);
  const reserved = message(queue, 'probe.waitForAbort', []);
  await producer.publish(task);
  await producer.publish(reserved);
  await until(() => worker.info().active.some((a) => a.id === task.id) && received(workerLog, reserved.id) === 1, 'one task running, one reserved');
  tcp.cut();
  // Published while the worker hears nothing: the pushes are lost, only the stored revocations remain.
  for (const { id } of [task, reserved]) await producer.revoke({ id, terminate: false, ts: Date.now() }, 60_000);
  await sleep(500);
  tcp.restore();
  try {
    const result = await producer.waitForResult(task.id, 20_000);
    assert.equal(result?.state, 'SUCCESS', 'it looked at its signal and ended');
    assert.equal((result?.result as { reason: string }).reason, 'TaskRevoked', 'aborted by the revoke');
    const dropped = await producer.waitForResult(reserved.id, 20_000);
    assert.equal(dropped?.state, 'REVOKED');
    assert.match(String(dropped?.error?.message), /revoked before it started/, 'the reserved task never ran');
  } finally {
    // Cold: a task the revoke never reached would hold up a warm stop for ever.
    await worker.stop({ graceful: false });
  }
});
