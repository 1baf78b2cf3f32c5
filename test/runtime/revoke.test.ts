// Revoke (Celery's revoke, with terminate) through real workers on every broker: a waiting task
// never runs, also on a worker started after the revoke; a running one is aborted through its
// signal in every pool, or killed and replaced in prefork and threads; waiters get REVOKED.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { Broker } from '../../runtime/src/broker/broker.ts';
import { sendTask } from '../../runtime/src/contract.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { PoolKind } from '../../runtime/src/protocol.ts';
import { TaskError, type AsyncResult } from '../../runtime/src/result.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { freshBrokers } from '../helpers/brokers.ts';

const appPath = join(__dirname, '../fixtures/apps/lifecycle.ts');
const quiet = new Logger('revoke', 'error', () => {});
const { scratch, urls: brokers } = freshBrokers('revoke');

async function until(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function revokedError(result: AsyncResult<unknown>): Promise<TaskError> {
  const error = await result.get({ timeout: '30s' }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TaskError, `expected a TaskError, got ${String(error)}`);
  assert.equal(error.state, 'REVOKED', error.message);
  return error;
}

async function startWorker(url: string, pool: PoolKind, queue: string): Promise<Worker> {
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool, concurrency: 1, queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 100 });
  await worker.start();
  return worker;
}

async function producer(url: string): Promise<Broker> {
  const broker = createBroker(url);
  await broker.connect();
  return broker;
}

for (const [brokerName, urlOf] of Object.entries(brokers)) {
  describe(`revoke on ${brokerName}`, { timeout: 120_000 }, () => {
    test('a waiting task revoked while no worker runs never runs on the worker started after; the next one does', async () => {
      const url = urlOf();
      const broker = await producer(url);
      try {
        // A worker came and went: the revoke happens while none runs (as across a restart).
        await (await startWorker(url, 'async', 'q')).stop();
        const doomed = await sendTask(broker, 'life.where', [], { apply: { queue: 'q' } });
        const kept = await sendTask(broker, 'life.where', [], { apply: { queue: 'q' } });
        await doomed.result.revoke();
        const worker = await startWorker(url, 'async', 'q');
        try {
          const error = await revokedError(doomed.result);
          assert.match(error.message, /was revoked: TaskRevoked: revoked before it started/);
          assert.equal(typeof (await kept.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
          await assert.rejects(doomed.result.revoke(), /has already finished \(REVOKED at .*\): there is nothing to revoke/);
        } finally {
          await worker.stop();
        }
      } finally {
        await broker.close();
      }
    });

    // A running worker hears the revoke but holds nothing with that id; the fetch that reserves it
    // later must still see it (redis: the revocation epoch moved since the worker's last fetch).
    test('a delayed task revoked while a worker runs is refused when it comes due', async () => {
      const url = urlOf();
      const broker = await producer(url);
      const worker = await startWorker(url, 'async', 'q-later');
      try {
        const first = await sendTask(broker, 'life.where', [], { apply: { queue: 'q-later' } });
        await first.result.get({ timeout: '30s' });
        const doomed = await sendTask(broker, 'life.where', [], { apply: { queue: 'q-later', countdown: '1s' } });
        await doomed.result.revoke();
        const error = await revokedError(doomed.result);
        assert.match(error.message, /revoked before it started/);
        const after = await sendTask(broker, 'life.where', [], { apply: { queue: 'q-later' } });
        assert.equal(typeof (await after.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
      } finally {
        await worker.stop();
        await broker.close();
      }
    });

    test('a running task is aborted through its signal (async pool) and its waiter gets REVOKED', async () => {
      const url = urlOf();
      const broker = await producer(url);
      const worker = await startWorker(url, 'async', 'q');
      try {
        const file = join(scratch, `${randomUUID()}.json`);
        const { result } = await sendTask(broker, 'life.abortable', [file], { apply: { queue: 'q' } });
        await until(() => existsSync(file), 'the task to start');
        await result.revoke();
        const error = await revokedError(result);
        assert.match(error.message, /revoked while running: its signal was aborted, and it ended with TaskRevoked/);
      } finally {
        await worker.stop();
        await broker.close();
      }
    });
  });
}

// Every pool on the brokers that cross processes: abort everywhere; terminate kills in prefork and
// threads (the replacement runs the next task), and is an abort, said so, in solo and async.
const pools: PoolKind[] = ['prefork', 'threads', 'solo', 'async'];
for (const brokerName of ['file', 'redis'] as const) {
  for (const pool of pools) {
    const killable = pool === 'prefork' || pool === 'threads';
    test(`${brokerName} × ${pool}: revoke aborts a running task; terminate ${killable ? 'kills and replaces its executor' : 'can only abort it'}`, { timeout: 120_000 }, async () => {
      const url = brokers[brokerName]();
      const broker = await producer(url);
      const worker = await startWorker(url, pool, 'q');
      try {
        const file = join(scratch, `${randomUUID()}.json`);
        const aborted = await sendTask(broker, 'life.abortable', [file], { apply: { queue: 'q' } });
        await until(() => existsSync(file), 'the abortable task to start');
        await aborted.result.revoke();
        assert.match((await revokedError(aborted.result)).message, /its signal was aborted/);

        const hangFile = join(scratch, `${randomUUID()}.json`);
        const task = killable ? 'life.hang' : 'life.abortable';
        const terminated = await sendTask(broker, task, [hangFile], { apply: { queue: 'q' } });
        await until(() => existsSync(hangFile), 'the task to terminate to start');
        await terminated.result.revoke({ terminate: true });
        const error = await revokedError(terminated.result);
        if (pool === 'prefork') assert.match(error.message, /its child process was killed and replaced/);
        else if (pool === 'threads') assert.match(error.message, /its thread was terminated and replaced/);
        else assert.match(error.message, /its signal was aborted/);

        const next = await sendTask(broker, 'life.where', [], { apply: { queue: 'q' } });
        assert.equal(typeof (await next.result.get({ timeout: '30s' }) as { pid: number }).pid, 'number');
      } finally {
        await worker.stop();
        await broker.close();
      }
    });
  }
}
