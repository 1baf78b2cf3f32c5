// Progress (context().progress → task-progress events → result.onProgress) through real workers in
// every pool, on every broker: reports are throttled where the task runs (at most one per 100 ms),
// the last one always arrives, and before the task's end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { sendTask } from '../../runtime/src/contract.ts';
import { PROGRESS_INTERVAL_MS, RunContext } from '../../runtime/src/context.ts';
import { Logger } from '../../runtime/src/logger.ts';
import { AsyncResult } from '../../runtime/src/result.ts';
import type { PoolKind, TaskEvent, TaskProgress } from '../../runtime/src/protocol.ts';
import { createWorker } from '../../runtime/src/worker/worker.ts';
import { freshBrokers } from '../helpers/brokers.ts';

const appPath = join(__dirname, '../fixtures/apps/lifecycle.ts');
const quiet = new Logger('progress', 'error', () => {});
const { urls: brokers } = freshBrokers('progress');
const pools: PoolKind[] = ['prefork', 'threads', 'solo', 'async'];

for (const [brokerName, urlOf] of Object.entries(brokers)) {
  for (const pool of pools) {
    // memory:// lives in one process: its pools are the in-process ones.
    if (brokerName === 'memory' && (pool === 'prefork' || pool === 'threads')) continue;
    test(`${brokerName} × ${pool}: progress reaches onProgress throttled, the last report before the end`, { timeout: 120_000 }, async () => {
      const url = urlOf();
      const producer = createBroker(url);
      await producer.connect();
      const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool, concurrency: 1, queues: ['q'], app: appPath, logger: quiet, fetchWaitMs: 100 });
      await worker.start();
      const events: TaskEvent[] = [];
      const stopEvents = await producer.subscribe((event) => events.push(event));
      const wallOf = (id: string) => events.find((e) => e.id === id && e.type === 'task-succeeded')?.wallMs ?? Infinity;
      // The interval is counted on Date.now(), to the millisecond: one counted as 100 ms can be 99.x.
      const allowed = (id: string) => 2 + Math.floor((wallOf(id) + 1) / PROGRESS_INTERVAL_MS);
      try {
        // A tight loop of 20,000 reports: a handful leave, the last (20000 of 20000) among them.
        // Listening before the send: reports are events, not stored.
        const result = new AsyncResult<number>(randomUUID(), 'life.steps', async () => producer);
        const seen: TaskProgress[] = [];
        const unsubscribe = await result.onProgress((p) => seen.push(p));
        await sendTask(producer, 'life.steps', [20_000, 0], { apply: { queue: 'q', id: result.id } });
        assert.equal(await result.get({ timeout: '30s' }), 20_000);
        const ended = () => events.findIndex((e) => e.id === result.id && e.type === 'task-succeeded');
        for (let i = 0; i < 200 && (ended() < 0 || seen.at(-1)?.done !== 20_000); i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(seen.at(-1), { done: 20_000, total: 20_000, meta: { step: 'step 20000' } });
        // At most one report per interval of the run, plus the last: a loaded machine stretches the loop.
        assert.ok(seen.length <= allowed(result.id), `throttled: ${seen.length} reports in ${wallOf(result.id)} ms`);
        const own = events.filter((e) => e.id === result.id).map((e) => e.type);
        assert.equal(own.lastIndexOf('task-progress') < own.indexOf('task-succeeded'), true, own.join());

        // Spread over ~600 ms: several reports, at least 100 ms apart, the last one complete.
        seen.length = 0;
        const slow = new AsyncResult<number>(randomUUID(), 'life.steps', async () => producer);
        const stopSlow = await slow.onProgress((p) => seen.push(p));
        await sendTask(producer, 'life.steps', [12, 50], { apply: { queue: 'q', id: slow.id } });
        await slow.get({ timeout: '30s' });
        for (let i = 0; i < 100 && seen.at(-1)?.done !== 12; i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(seen.length >= 3 && seen.length <= allowed(slow.id), `3 to ${allowed(slow.id)} reports, got ${seen.map((p) => p.done).join()}`);
        assert.equal(seen.at(-1)?.done, 12);
        await Promise.all([unsubscribe(), stopSlow()]);
      } finally {
        await stopEvents();
        await worker.stop();
        await producer.close();
      }
    });
  }
}

test('bad progress gets one error saying what to fix', () => {
  const ctx = new RunContext({ id: 'i', task: 't', queue: 'q', retries: 0 });
  assert.throws(() => ctx.progress(-1), /done must be a finite number >= 0, got -1/);
  assert.throws(() => ctx.progress(1, 0), /total must be a finite number > 0 or left out, got 0/);
  assert.throws(() => ctx.progress(1, 2, { n: 1n }), /meta must be JSON/);
  ctx.progress(1, 2, { fine: true }); // outside a worker (task.call()): checked, then dropped
});
