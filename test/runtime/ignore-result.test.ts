// ignoreResult (Celery's ignore_result, BullMQ's removeOnComplete) through real workers on every
// broker: a success sent with it, or of a task defined with it, or on a worker that ignores
// results by default, is neither stored nor published, its events still go out, get() says at once
// that there is nothing to wait for; failures are kept; ignoreResult: false wins over the worker's default.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { Broker } from '../../runtime/src/broker/broker.ts';
import { sendTask } from '../../runtime/src/contract.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { TaskEvent } from '../../runtime/src/protocol.ts';
import { findTask } from '../../runtime/src/registry.ts';
import { ResultNotKeptError, TaskError } from '../../runtime/src/result.ts';
import { loadApp } from '../../runtime/src/loader.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { freshBrokers } from '../helpers/brokers.ts';

const appPath = join(__dirname, '../fixtures/apps/lifecycle.ts');
const quiet = new Logger('ignore-result', 'error', () => {});
const { scratch, urls: brokers } = freshBrokers('ignore-result');
const bin = join(__dirname, '../../runtime/bin/tasklane.mjs');

interface Observer {
  broker: Broker;
  /** The task's task-succeeded or task-failed event, seen or to come. */
  finished: (id: string) => Promise<TaskEvent>;
  close: () => Promise<void>;
}

/** A producer on the broker that watches the tasks' last events. */
async function observe(url: string): Promise<Observer> {
  const broker = createBroker(url);
  await broker.connect();
  const seen = new Map<string, TaskEvent>();
  const waiters = new Map<string, (event: TaskEvent) => void>();
  const unsubscribe = await broker.subscribe((event) => {
    if (event.type !== 'task-succeeded' && event.type !== 'task-failed') return;
    seen.set(event.id!, event);
    waiters.get(event.id!)?.(event);
  });
  return {
    broker,
    finished: (id) => seen.has(id) ? Promise.resolve(seen.get(id)!) : new Promise((resolve) => waiters.set(id, resolve)),
    close: async () => {
      await unsubscribe();
      await broker.close();
    },
  };
}

/** An observer and a worker (async pool, queue iq, events always on). */
async function setup(url: string, ignoreResult?: boolean): Promise<Observer & { worker: Worker }> {
  const observer = await observe(url);
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool: 'async', queues: ['iq'], app: appPath, logger: quiet, fetchWaitMs: 100, taskEvents: true, ignoreResult });
  await worker.start();
  return {
    ...observer,
    worker,
    close: async () => {
      await worker.stop();
      await observer.close();
    },
  };
}

for (const [brokerName, urlOf] of Object.entries(brokers)) {
  describe(`ignoreResult on ${brokerName}`, { timeout: 120_000 }, () => {
    test('sent with ignoreResult: runs, events go out, no result is stored, get() fails at once; a failure is kept', async () => {
      const { broker, finished, close } = await setup(urlOf());
      try {
        const sent = await sendTask(broker, 'life.where', [], { apply: { queue: 'iq', ignoreResult: true } });
        assert.equal(sent.message.ignoreResult, true);
        await assert.rejects(sent.result.get({ timeout: '30s' }), (error: unknown) => {
          assert.ok(error instanceof ResultNotKeptError, String(error));
          assert.match((error as Error).message, /was sent with ignoreResult: its worker keeps no result of a success/);
          return true;
        });
        const event = await finished(sent.message.id);
        assert.equal(event.type, 'task-succeeded');
        assert.equal(typeof (event.result as { pid: number }).pid, 'number');
        assert.equal(await broker.getResult(sent.message.id), undefined);
        assert.equal(await sent.result.state(), 'PENDING');

        const failing = await sendTask(broker, 'life.fail', ['kept anyway'], { apply: { queue: 'iq', ignoreResult: true } });
        await finished(failing.message.id);
        const stored = await broker.getResult(failing.message.id);
        assert.equal(stored?.state, 'FAILURE');
        assert.match(stored?.error?.message ?? '', /kept anyway/);

        // The same task without the option keeps its result.
        const kept = await sendTask(broker, 'life.where', [], { apply: { queue: 'iq' } });
        assert.equal(typeof (await kept.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
      } finally {
        await close();
      }
    });

    test('a task defined with ignoreResult keeps no result; its send may ask for it (ignoreResult: false)', async () => {
      await loadApp(appPath);
      const { broker, finished, close } = await setup(urlOf());
      try {
        const taskOptions = findTask('life.unkept')!.options;
        const sent = await sendTask(broker, 'life.unkept', [21], { taskOptions, apply: { queue: 'iq' } });
        await assert.rejects(sent.result.get(), ResultNotKeptError);
        assert.equal((await finished(sent.message.id)).result, 42);
        assert.equal(await broker.getResult(sent.message.id), undefined);
        // Sent by name only (a producer that does not know the task's options): the worker's definition decides.
        const byName = await sendTask(broker, 'life.unkept', [1], { apply: { queue: 'iq' } });
        assert.equal((await finished(byName.message.id)).result, 2);
        assert.equal(await broker.getResult(byName.message.id), undefined);
        const asked = await sendTask(broker, 'life.unkept', [5], { taskOptions, apply: { queue: 'iq', ignoreResult: false } });
        assert.equal(await asked.result.get({ timeout: '30s' }), 10);
      } finally {
        await close();
      }
    });

    test('a worker that ignores results by default stores none, unless the send says ignoreResult: false; failures are kept', async () => {
      const { broker, finished, close } = await setup(urlOf(), true);
      try {
        const plain = await sendTask(broker, 'life.where', [], { apply: { queue: 'iq' } });
        assert.equal((await finished(plain.message.id)).type, 'task-succeeded');
        assert.equal(await broker.getResult(plain.message.id), undefined);
        const failing = await sendTask(broker, 'life.fail', ['still kept'], { apply: { queue: 'iq' } });
        await assert.rejects(failing.result.get({ timeout: '30s' }), (error: unknown) => error instanceof TaskError && /still kept/.test(error.message));
        const asked = await sendTask(broker, 'life.where', [], { apply: { queue: 'iq', ignoreResult: false } });
        assert.equal(typeof (await asked.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
      } finally {
        await close();
      }
    });
  });
}

// The CLI: --ignore-result, and the config's workers.<name>.ignoreResult, reach the worker.
for (const [how, args] of [['--ignore-result', ['--ignore-result']], ['the config key workers.<name>.ignoreResult', ['unkeeping']]] as const) {
  test(`tasklane worker with ${how} keeps no result of a success`, { timeout: 120_000 }, async () => {
    const url = brokers.file();
    const config = join(scratch, `config-${args[0].replace(/\W/g, '')}.json`);
    writeFileSync(config, JSON.stringify({ app: appPath, broker: url, workers: { unkeeping: { pool: 'async', queues: ['cq'], ignoreResult: true } } }));
    const child = spawn(process.execPath, [bin, 'worker', ...args, '--config', config, '--pool', 'async', '--queues', 'cq', '-E'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const { broker, finished, close } = await observe(url);
    try {
      for await (const line of createInterface({ input: child.stdout! })) if (/\] online: /.test(line)) break;
      const sent = await sendTask(broker, 'life.where', [], { apply: { queue: 'cq' } });
      assert.equal((await finished(sent.message.id)).type, 'task-succeeded');
      assert.equal(await broker.getResult(sent.message.id), undefined);
      const asked = await sendTask(broker, 'life.where', [], { apply: { queue: 'cq', ignoreResult: false } });
      assert.equal(typeof (await asked.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
    } finally {
      child.kill('SIGTERM');
      await exited;
      await close();
    }
  });
}
