// Workflows (chain, group, chord) through real workers on the embedded broker and a real
// redis-server, in the async pool and prefork's child processes: results pass along a chain, a
// failure stops it and reaches the waiter, a group's results come in order, and a chord's
// callback runs exactly once even when every member is delivered (and run) twice.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { Broker } from '../../runtime/src/broker/broker.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { PoolKind, TaskMessage } from '../../runtime/src/protocol.ts';
import type { Handler } from '../../runtime/src/registry.ts';
import { TaskError } from '../../runtime/src/result.ts';
import { createTask, type Task } from '../../runtime/src/task.ts';
import { chain, chord, group } from '../../runtime/src/workflow.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { freshBrokers } from '../helpers/brokers.ts';
import * as flows from '../fixtures/apps/flows.ts';

const appPath = join(__dirname, '../fixtures/apps/flows.ts');
const quiet = new Logger('workflow', 'error', () => {});
const { scratch, urls } = freshBrokers('workflow');

/** The fixture's tasks, sending through `broker` to `queue`. */
function tasksOn(broker: Broker, queue: string) {
  const host = { broker: async () => broker, queueFor: (_task: string, taskQueue?: string, applyQueue?: string) => applyQueue ?? taskQueue ?? queue };
  const bind = <H extends Handler>(task: Task<H>): Task<H> => createTask<H>(task.name, task.options, host);
  return { add: bind(flows.add), mul: bind(flows.mul), later: bind(flows.later), fail: bind(flows.fail), total: bind(flows.total), record: bind(flows.record) };
}

/** The broker, but every publish goes out twice: each message is delivered (and may run) twice. */
function publishingTwice(broker: Broker): Broker {
  return new Proxy(broker, {
    get(target, property) {
      if (property === 'publish') {
        return async (message: TaskMessage) => {
          await target.publish(message);
          await target.publish(message);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function startWorker(url: string, pool: PoolKind, queue: string): Promise<Worker> {
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool, concurrency: 2, queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 100 });
  await worker.start();
  return worker;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function drained(broker: Broker, queue: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await broker.queueLengths([queue]))[queue] > 0) {
    if (Date.now() > deadline) throw new Error(`queue ${queue} did not drain`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cases: Array<[string, PoolKind]> = [['file', 'async'], ['file', 'prefork'], ['redis', 'async'], ['redis', 'prefork']];

for (const [brokerName, pool] of cases) {
  describe(`workflows on ${brokerName}, ${pool} pool`, { timeout: 120_000 }, () => {
    let url: string;
    let broker: Broker;
    let worker: Worker;
    const queue = `flows-${pool}`;

    test('start', async () => {
      url = urls[brokerName as 'file' | 'redis']();
      broker = createBroker(url);
      await broker.connect();
      worker = await startWorker(url, pool, queue);
    });

    test('a chain of three passes each result on as the next task\'s first argument', async () => {
      const { add, mul } = tasksOn(broker, queue);
      const result = await chain(add.s(1, 2), mul.s(10), add.s(5)).applyAsync();
      assert.equal(await result.get({ timeout: '30s' }), 35);
      assert.equal(result.task, 'flow.add');
    });

    test('a failure in the middle stops the chain and reaches its waiter', async () => {
      const { add, fail, record } = tasksOn(broker, queue);
      const file = join(scratch, `${randomUUID()}.txt`);
      const result = await chain(add.s(1, 2), fail.s('boom'), record.s(file)).applyAsync();
      const error = await result.get({ timeout: '30s' }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof TaskError, `expected a TaskError, got ${String(error)}`);
      assert.equal(error.remote.name, 'RangeError');
      assert.match(error.message, /boom \(got 3\) \(in flow\.fail\[.+\], an earlier step of this workflow\)/);
      await drained(broker, queue);
      assert.deepEqual(lines(file), [], 'the link after the failure never ran');
    });

    test('a group\'s results come in the order of its signatures, whatever order they finish in', async () => {
      const { later } = tasksOn(broker, queue);
      const result = await group(later.s(1, 300), later.s(2, 0), later.s(3, 100)).applyAsync();
      assert.deepEqual(await result.get({ timeout: '30s' }), [1, 2, 3]);
      assert.equal(result.results.length, 3);
    });

    test('a chord\'s callback runs exactly once, with the results in order, though every member is delivered twice', async () => {
      const { add, later, total } = tasksOn(publishingTwice(broker), queue);
      const file = join(scratch, `${randomUUID()}.txt`);
      const result = await chord(group(add.s(1, 1), later.s(4, 200), add.s(3, 3)), total.s(file)).applyAsync();
      assert.equal(await result.get({ timeout: '30s' }), 12);
      await drained(broker, queue);
      // Give any second callback the time to run too: the duplicates have all been taken.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(lines(file).length, 1, 'the callback ran once');
    });

    test('a chain whose first task is delivered twice runs its next step once', async () => {
      const { record } = tasksOn(publishingTwice(broker), queue);
      const first = join(scratch, `${randomUUID()}.txt`);
      const second = join(scratch, `${randomUUID()}.txt`);
      const result = await chain(record.s(7, first), record.s(second)).applyAsync();
      assert.equal(await result.get({ timeout: '30s' }), 7);
      await drained(broker, queue);
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(lines(first).length >= 1);
      assert.deepEqual(lines(second), ['7']);
    });

    test('a chord whose member fails gives its waiter that failure, and the callback never runs', async () => {
      const { add, fail, total } = tasksOn(broker, queue);
      const file = join(scratch, `${randomUUID()}.txt`);
      const result = await chord(group(add.s(1, 1), fail.s(5, 'bad member')), total.s(file)).applyAsync();
      await assert.rejects(result.get({ timeout: '30s' }), /bad member \(got 5\)/);
      await drained(broker, queue);
      assert.deepEqual(lines(file), []);
    });

    test('stop', async () => {
      await worker.stop();
      await broker.close();
    });
  });
}

test('signatures are typed like delay: a chain link takes the previous result as its first parameter', () => {
  const broker = createBroker('memory://types');
  const { add, mul, total } = tasksOn(broker, 'types');
  chain(add.s(1, 2), mul.s(3));
  chord(group(add.s(1, 2), add.s(3, 4)), total.s('file'));
  // @ts-expect-error -- a first link must be complete
  chain(mul.s(3), add.s(1));
  // @ts-expect-error -- a string argument where a number is wanted
  add.s('1', 2);
  // @ts-expect-error -- total's first parameter is number[], not the number add returns
  chain(add.s(1, 2), total.s('file'));
  assert.throws(() => add.signature(5 as unknown as [number, number]), /arguments of task "flow.add" must be an array/);
});
