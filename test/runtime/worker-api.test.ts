// startWorker() from 'tasklane': a worker inside the caller's process, in every pool, on the
// embedded broker and on a real redis-server; and its options checked with errors that say what to pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, type WorkerHandle } from 'tasklane';
import { sendTask } from 'tasklane/contract';
import type { PoolKind } from 'tasklane';
import { withBroker } from '../helpers/brokers.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
// Registers the fixture's tasks in this process: what the solo and async pools run without `app`.
import '../fixtures/worker/tasks.ts';

const appPath = join(__dirname, '../fixtures/worker/tasks.ts');
const fileUrl = `file://${mkdtempSync(join(tmpdir(), 'tasklane-api-'))}`;
let redis: RedisServer;
const quiet = () => {};

before(async () => { redis = await startRedis(); });
after(async () => { await redis?.stop(); });


for (const broker of ['file', 'redis'] as const) {
  for (const pool of ['async', 'solo', 'threads', 'prefork'] as PoolKind[]) {
    test(`${broker}: a ${pool} worker started from code runs a task, reports its stats and stops warm`, async () => {
      const url = broker === 'file' ? fileUrl : redis.url;
      const queue = `api-${pool}`;
      // Children and threads load the app; the in-process pools run this process's tasks.
      const inProcess = pool === 'async' || pool === 'solo';
      const worker: WorkerHandle = await startWorker({
        pool, broker: url, queues: [queue], concurrency: inProcess ? undefined : 1, name: `api-${broker}-${pool}`, log: quiet,
        ...(!inProcess && { app: appPath }),
      });
      let stopped = false;
      void worker.finished().then(() => { stopped = true; });
      // A failed assertion must not leave the worker (and this test file) running.
      after(() => worker.stop({ graceful: false }));
      await withBroker(url, async (producer) => {
        const { result } = await sendTask<number>(producer, 't.add', [20, 22], { apply: { queue } });
        assert.equal(await result.get({ timeout: '30s' }), 42);
        assert.equal((await result.result())!.pool, pool);
        // A task still running when stop() is called finishes first (warm).
        const { result: slow } = await sendTask(producer, 't.sleep', [300], { apply: { queue } });
        while (!worker.stats().active.some((a) => a.id === slow.id)) await new Promise((r) => setTimeout(r, 10));
        const stats = worker.stats();
        assert.equal(stats.name, `api-${broker}-${pool}`);
        assert.equal(stats.pool, pool);
        assert.deepEqual(stats.queues, [queue]);
        await worker.stop();
        assert.equal((await slow.result())?.state, 'SUCCESS');
        assert.equal(worker.stats().processed, 2);
      });
      await worker.finished();
      assert.ok(stopped);
    });
  }
}

test('startWorker says what to pass when an option cannot work', async () => {
  await assert.rejects(startWorker({ pool: 'prefork', broker: 'memory://api', log: quiet }),
    /the prefork pool loads the tasks in each child process: pass app: 'src\/tasks\.ts'.*or use pool 'async' or 'solo'/);
  await assert.rejects(startWorker({ pool: 'fork' as PoolKind, broker: 'memory://api', log: quiet }), /unknown pool "fork": use one of prefork, threads, solo, async/);
  await assert.rejects(startWorker({ pool: 'async', concurrency: 0, broker: 'memory://api', log: quiet }), /concurrency must be a whole number >= 1, got 0/);
  await assert.rejects(startWorker({ pool: 'async', queues: ['a'], excludeQueues: ['a'], broker: 'memory://api', log: quiet }),
    /excluding a leaves no queue to consume \(of a\)/);
  await assert.rejects(startWorker({ pool: 'async', broker: 'redis://127.0.0.1:1/0?connectTimeout=1s', log: quiet }), /127\.0\.0\.1:1/);
});
