// Workflows (chain, group, chord) through real workers on the embedded broker and a real
// redis-server, in the async pool and prefork's child processes: results pass along a chain, a
// failure stops it and reaches the waiter, a group's results come in order, and a chord's
// callback runs exactly once even when every member is delivered (and run) twice.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
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
  return {
    add: bind(flows.add), mul: bind(flows.mul), later: bind(flows.later), fail: bind(flows.fail), total: bind(flows.total), record: bind(flows.record), big: bind(flows.big), measure: bind(flows.measure),
  };
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
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool, concurrency: pool === 'solo' ? 1 : 2, queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 100 });
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
/** The in-process worker also runs them in the other two pools, one broker each. */
const allPools: Array<[string, PoolKind]> = [...cases, ['file', 'threads'], ['redis', 'solo']];

for (const [brokerName, pool] of allPools) {
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

test('a worker that keeps no results (ignoreResult) still runs a chain and a chord to the end: a step\'s result is what the next is sent from', { timeout: 60_000 }, async () => {
  const url = urls.file();
  const broker = createBroker(url);
  await broker.connect();
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool: 'async', concurrency: 2, queues: ['lean'], app: appPath, logger: quiet, fetchWaitMs: 100, ignoreResult: true });
  await worker.start();
  try {
    const { add, mul, total } = tasksOn(broker, 'lean');
    assert.equal(await (await chain(add.s(1, 2), mul.s(10), add.s(5)).applyAsync()).get({ timeout: '30s' }), 35);
    assert.deepEqual(await (await group(add.s(1, 1), add.s(2, 2)).applyAsync()).get({ timeout: '30s' }), [2, 4]);
    const file = join(scratch, `${randomUUID()}.txt`);
    assert.equal(await (await chord(group(add.s(1, 1), add.s(2, 2)), total.s(file)).applyAsync()).get({ timeout: '30s' }), 6);
  } finally {
    await worker.stop();
    await broker.close();
  }
});

test('a result too large to send on as the next step\'s argument fails the chain\'s waiter with the reason', { timeout: 60_000 }, async () => {
  const url = `${urls.file()}?maxPayload=4kb`;
  const broker = createBroker(url);
  await broker.connect();
  const worker = await startWorker(url, 'async', 'big');
  try {
    const { big, measure } = tasksOn(broker, 'big');
    const file = join(scratch, `${randomUUID()}.txt`);
    assert.equal(await (await chain(big.s(100), measure.s(file)).applyAsync()).get({ timeout: '30s' }), 100);
    const result = await chain(big.s(10_000), measure.s(file)).applyAsync();
    await assert.rejects(result.get({ timeout: '30s' }), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.equal(error.remote.name, 'PayloadTooLargeError');
      return true;
    });
    assert.deepEqual(lines(file), ['100'], 'only the first chain reached its second step');
  } finally {
    await worker.stop();
    await broker.close();
  }
});

test('embedded broker: a worker that died between storing a step\'s result and sending the next loses no step', { timeout: 60_000 }, async () => {
  const url = urls.file();
  const broker = createBroker(url);
  await broker.connect();
  try {
    const { record } = tasksOn(broker, 'marked');
    const first = join(scratch, `${randomUUID()}.txt`);
    const second = join(scratch, `${randomUUID()}.txt`);
    const result = await chain(record.s(3, first), record.s(second)).applyAsync();
    // The dying worker: it ran the first step, stored its result, and was gone before it sent the
    // next step (the store marks and sends a step in one transaction: FileBroker.publishOnce) and acked.
    const [taken] = await broker.fetch(['marked'], 1, { waitMs: 5000 });
    await broker.storeResult({ id: taken.message!.id, task: 'flow.record', state: 'SUCCESS', result: 3, finishedAt: Date.now() }, 60_000);
    await broker.release([taken]);
    const worker = await startWorker(url, 'async', 'marked');
    try {
      assert.equal(await result.get({ timeout: '30s' }), 3);
      assert.deepEqual(lines(first), [], 'the first step did not run again');
      assert.deepEqual(lines(second), ['3']);
    } finally {
      await worker.stop();
    }
  } finally {
    await broker.close();
  }
});

/** `tasklane worker` as users start it, in its own process; resolves once it is online. */
async function cliWorker(url: string, pool: PoolKind, queue: string): Promise<ChildProcess> {
  const bin = join(__dirname, '../../runtime/bin/tasklane.mjs');
  const child = spawn(process.execPath, [bin, 'worker', '-A', appPath, '-P', pool, '-c', '2', '-Q', queue, '-b', url],
    { cwd: scratch, env: { ...process.env, TASKLANE_BROKER: '', TASKLANE_CONFIG: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! });
  const online = (async () => { for await (const line of lines) if (/\] online: /.test(line)) return; })();
  await Promise.race([online, exited.then(([code]) => { throw new Error(`the worker exited with ${code} before it was online`); })]);
  child.stdout!.resume(); // its log lines, read no further, must not fill the pipe and block it
  return Object.assign(child, { exited });
}

for (const [brokerName, pool] of cases) {
  test(`from the CLI's ${pool} worker on ${brokerName}: a chord member whose worker died after storing its result, before acking, is not run again and counts once`, { timeout: 120_000 }, async () => {
    const url = urls[brokerName as 'file' | 'redis']();
    const queue = `cli-${pool}`;
    const broker = createBroker(url);
    await broker.connect();
    try {
      const { record, add, total, mul } = tasksOn(broker, queue);
      const ran = join(scratch, `${randomUUID()}.txt`);
      const callbackRuns = join(scratch, `${randomUUID()}.txt`);
      const result = await chord(group(record.s(5, ran), add.s(2, 3)), total.s(callbackRuns)).applyAsync();
      // The dying worker: it takes both members, stores the first one's result, and is gone before
      // it acks (its reservations come back, here at once through release).
      const taken = await broker.fetch([queue], 2, { waitMs: 5000 });
      assert.equal(taken.length, 2);
      const first = taken.find((d) => d.message!.task === 'flow.record')!;
      await broker.storeResult({ id: first.message!.id, task: 'flow.record', state: 'SUCCESS', result: 5, finishedAt: Date.now() }, 60_000);
      await broker.release(taken);
      const worker = await cliWorker(url, pool, queue);
      try {
        assert.equal(await result.get({ timeout: '60s' }), 10);
        const chained = await chain(add.s(1, 1), mul.s(21)).applyAsync();
        assert.equal(await chained.get({ timeout: '60s' }), 42);
        await drained(broker, queue);
        await new Promise((r) => setTimeout(r, 500));
        assert.deepEqual(lines(ran), [], 'the member with a stored result did not run again');
        assert.equal(lines(callbackRuns).length, 1, 'the callback ran once');
      } finally {
        worker.kill('SIGTERM');
        const [code] = await (worker as ChildProcess & { exited: Promise<unknown[]> }).exited;
        assert.equal(code, 0, 'the worker stops warm');
      }
    } finally {
      await broker.close();
    }
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
