// Every broker × every pool through a real worker: tasks published on the broker are run in the
// pool (where its executors live), their results stored, a failure reported with its reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { PoolKind, TaskMessage, TaskResult } from '../../runtime/src/protocol.ts';
import { createWorker } from '../../runtime/src/worker/worker.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
const pools: PoolKind[] = ['prefork', 'threads', 'solo', 'async'];
const quiet = new Logger('matrix', 'error', () => {});
const scratch = mkdtempSync(join(tmpdir(), 'tasklane-matrix-'));
let redis: RedisServer;

before(async () => { redis = await startRedis(); });
after(async () => {
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const brokers: Array<[string, (pool: PoolKind) => string]> = [
  ['memory', (pool) => `memory://matrix-${pool}`],
  ['file', (pool) => `file://${join(scratch, pool)}`],
  ['redis', () => redis.url],
];

interface Where { pid: number; threadId: number }

function message(task: string, args: unknown[], queue: string): TaskMessage {
  return { id: randomUUID(), task, args, queue, retries: 0, createdAt: Date.now() };
}

for (const [brokerName, urlFor] of brokers) {
  for (const pool of pools) {
    test(`${brokerName} × ${pool}: tasks run in the pool, results and failures come back`, { timeout: 120_000 }, async () => {
      const url = urlFor(pool);
      const queue = `matrix-${brokerName}-${pool}`;
      const producer = createBroker(url);
      await producer.connect();
      const worker = createWorker({
        broker: createBroker(url), ownsBroker: true, pool, concurrency: 2, queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 100,
      });
      await worker.start();
      try {
        const spins = Array.from({ length: 6 }, () => message('probe.spin', [30], queue));
        const failing = message('probe.fail', ['bad input: width must be positive'], queue);
        for (const m of [...spins, failing]) await producer.publish(m);

        const results = await Promise.all([...spins, failing].map((m) => producer.waitForResult(m.id, 60_000)));
        const [failed] = results.splice(-1) as Array<TaskResult | undefined>;
        for (const result of results) {
          assert.equal(result?.state, 'SUCCESS', JSON.stringify(result));
          assert.equal(result!.pool, pool);
          assert.equal(typeof result!.cpuMs, 'number');
          const where = result!.result as Where;
          if (pool === 'prefork') assert.notEqual(where.pid, process.pid, 'ran in a child process');
          else assert.equal(where.pid, process.pid);
          if (pool === 'threads') assert.notEqual(where.threadId, 0, 'ran on a worker thread');
        }
        assert.equal(failed?.state, 'FAILURE');
        assert.equal(failed!.error!.message, 'bad input: width must be positive');
        assert.match(failed!.error!.stack!, /probe\.ts:\d+/);
      } finally {
        await worker.stop();
        await producer.close();
      }
    });
  }
}
