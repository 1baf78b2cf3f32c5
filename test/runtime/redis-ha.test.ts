// Redis beyond one server, with real servers on loopback ports: Sentinel (a primary, a replica and
// three Sentinels; the primary killed in the middle of a run) and Cluster (three primaries), through
// a real worker; and the URLs that name them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createBroker, type Broker } from '../../runtime/src/broker/index.ts';
import { parseRedisUrl } from '../../runtime/src/broker/url.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { TaskEvent, TaskMessage } from '../../runtime/src/protocol.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { startCluster, startSentinels } from '../helpers/redis-ha.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
const closing: Array<{ close(): Promise<unknown> } | Worker | { stop(): Promise<void> }> = [];
after(async () => {
  for (const c of closing.reverse()) await ('close' in c ? c.close() : c.stop());
});
function opened<T extends { close(): Promise<unknown> } | Worker | { stop(): Promise<void> }>(thing: T): T {
  closing.push(thing);
  return thing;
}

const message = (queue: string, task = 'probe.sleep', args: unknown[] = [1]): TaskMessage =>
  ({ id: randomUUID(), task, args, queue, retries: 0, createdAt: Date.now() });

async function startWorker(url: string, queue: string, concurrency: number): Promise<string[]> {
  const lines: string[] = [];
  const worker = opened(createWorker({
    broker: createBroker(url, { logger: new Logger('broker', 'info', (line) => lines.push(line)) }), ownsBroker: true,
    pool: 'async', concurrency, queues: [queue], app: appPath, logger: new Logger('worker', 'info', (line) => lines.push(line)), fetchWaitMs: 200,
  }));
  await worker.start();
  return lines;
}

const count = (lines: string[], id: string, state: string) => lines.filter((l) => l.includes(`[${id.slice(0, 6)}] ${state}`)).length;

describe('redis+sentinel:// and redis+cluster:// URLs', () => {
  test('list the servers, then the master name and database (Sentinel); the password stays out of sight', () => {
    assert.deepEqual(parseRedisUrl('redis+sentinel://:pw@a:26380,b/mymaster/2'), {
      kind: 'sentinel', nodes: [{ host: 'a', port: 26380 }, { host: 'b', port: 26379 }], name: 'mymaster', db: 2, username: undefined, password: 'pw',
    });
    assert.deepEqual(parseRedisUrl('redis+cluster://app:p%40ss@[::1]:7000,h'), {
      kind: 'cluster', nodes: [{ host: '::1', port: 7000 }, { host: 'h', port: 6379 }], db: 0, username: 'app', password: 'p@ss',
    });
    assert.equal(createBroker('redis+sentinel://:s3cret@a:1,b:2/mymaster').displayUrl, 'redis+sentinel://:***@a:1,b:2/mymaster');
    assert.equal(createBroker('redis+cluster://u:s3cret@a:1,b:2').displayUrl, 'redis+cluster://u:***@a:1,b:2');
  });

  test('mistakes get one error naming the URL without its password', () => {
    const cases: Array<[string, RegExp, object?]> = [
      ['redis+sentinel://:s3cret@a:1,b:2', /needs the master name/],
      ['redis+sentinel://:s3cret@a:1/mymaster/x', /only a database number/],
      ['redis+cluster://:s3cret@a:1/0', /takes no path/],
      ['redis+cluster://:s3cret@a:1,b:port', /"b:port" is not host\[:port\]/],
      ['redis+cluster://:s3cret@a:1', /on Redis Cluster the prefix needs a hash tag, e.g. \{app\}/, { prefix: 'app' }],
    ];
    for (const [url, problem, options] of cases) {
      assert.throws(() => createBroker(url, options), (error: Error) => {
        assert.match(error.message, problem);
        assert.match(error.message, /invalid broker URL ".*:\*\*\*@/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      }, url);
    }
  });
});

test('Redis Cluster (three primaries): tasks run through a worker, results and events come back', { timeout: 120_000 }, async () => {
  const cluster = opened(await startCluster());
  const queue = 'cluster';
  await startWorker(cluster.url, queue, 10);
  const producer = opened(createBroker(cluster.url));
  const seen: TaskEvent[] = [];
  // The subscriber may sit on any node: workers count subscribers on all of them.
  const unsubscribe = await producer.subscribe((event) => seen.push(event));
  // The worker hears of the subscriber through the cluster bus: once a task's events arrive, all do.
  const heard = async () => {
    const probe = message(queue);
    await producer.publish(probe);
    await producer.waitForResult(probe.id, 10_000);
    await sleep(50);
    return seen.some((e) => e.id === probe.id);
  };
  for (let i = 0; !(await heard()); i++) assert.ok(i < 100, 'task events reach a subscriber');
  const tasks = Array.from({ length: 30 }, (_, i) => message(queue, 'probe.sleep', [i % 5]));
  for (const m of tasks) await producer.publish(m);
  const results = await Promise.all(tasks.map((m) => producer.waitForResult(m.id, 30_000)));
  assert.deepEqual(results.map((r) => r?.state), tasks.map(() => 'SUCCESS'));
  const deadline = Date.now() + 10_000;
  while (!tasks.every((m) => seen.some((e) => e.id === m.id && e.type === 'task-succeeded')) && Date.now() < deadline) await sleep(20);
  assert.ok(tasks.every((m) => seen.some((e) => e.id === m.id && e.type === 'task-succeeded')), 'every task\'s events reach the subscriber');
  await unsubscribe();
  assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 });
});

test('Redis Sentinel: the primary killed in the middle of a run; the run completes on the promoted replica', { timeout: 180_000 }, async (t) => {
  const ha = opened(await startSentinels('ha-pw'));
  const queue = 'failover';
  const lines = await startWorker(ha.url, queue, 10);
  const producer: Broker = opened(createBroker(ha.url));
  const tasks = Array.from({ length: 200 }, () => message(queue, 'probe.sleep', [50]));
  for (const m of tasks) await producer.publish(m);
  // Every message on the replica before the kill: what is measured is what a failover loses of a run.
  const primary = new Redis({ port: ha.primary.port, host: '127.0.0.1', password: 'ha-pw' });
  await primary.call('WAIT', '1', '5000');
  primary.disconnect();
  const waiting = tasks.map((m) => producer.waitForResult(m.id, 60_000));
  const deadline = Date.now() + 30_000;
  while (tasks.filter((m) => count(lines, m.id, 'succeeded')).length < tasks.length / 2 && Date.now() < deadline) await sleep(10);
  ha.primary.process.kill('SIGKILL');

  const results = await Promise.all(waiting);
  const lost = tasks.filter((_, i) => results[i]?.state !== 'SUCCESS');
  const twice = tasks.filter((m) => count(lines, m.id, 'received') > 1);
  t.diagnostic(`failover: ${tasks.length} tasks, ${lost.length} without a result, ${twice.length} run more than once`);
  // Failed once, in the whole suite on a new HOME, with more than 50 tasks left without a result
  // and no log to say why: the worker's is in the message now.
  assert.deepEqual(lost.map((m) => m.id), [], `${lost.length} of ${tasks.length} tasks have no result; the worker's last lines:\n${lines.slice(-40).join('\n')}`);
  // The worker serves on, on the new primary.
  const later = message(queue);
  await producer.publish(later);
  assert.equal((await producer.waitForResult(later.id, 30_000))?.state, 'SUCCESS');
  assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 });
});
