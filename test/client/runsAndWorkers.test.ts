// What the Runs view shows of a running task's progress, and the Workers view of an autoscaling
// pool: from the runtime's own event and heartbeat shapes (tasklane/contract).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkerInfo } from 'tasklane/contract';
import { poolSize } from '../../client/src/poolSize.ts';
import { progressText } from '../../client/src/progressBar.ts';

test('progress reads as a bar and a percentage with a total, a count without one', () => {
  assert.equal(progressText({ done: 0, total: 10 }), '▱▱▱▱▱▱▱▱▱▱ 0%');
  assert.equal(progressText({ done: 3, total: 8 }), '▰▰▰▱▱▱▱▱▱▱ 37%');
  assert.equal(progressText({ done: 8, total: 8 }), '▰▰▰▰▰▰▰▰▰▰ 100%');
  assert.equal(progressText({ done: 12, total: 8 }), '▰▰▰▰▰▰▰▰▰▰ 100%', 'a task that over-counts stays at full');
  assert.equal(progressText({ done: 42 }), '42 done');
});

test('an autoscaling worker shows its size now against its max, and its range', () => {
  const live = { pool: 'threads', concurrency: 3, autoscale: { min: 1, max: 8 } } as WorkerInfo;
  assert.equal(poolSize(live, { pool: 'threads', autoscale: { max: 8 } }), 'threads 3/8 (autoscale 1–8)');
  assert.equal(poolSize(undefined, { pool: 'prefork', autoscale: { max: 6, min: 2 } }), 'prefork (autoscale 2–6)', 'not running: the config');
  assert.equal(poolSize(undefined, { pool: 'async', autoscale: { max: 50 } }), 'async (autoscale 1–50)');
  assert.equal(poolSize({ pool: 'prefork', concurrency: 4 } as WorkerInfo, { pool: 'prefork' }), 'prefork × 4', 'a fixed pool as before');
  assert.equal(poolSize(undefined, { pool: 'solo' }), 'solo × 1');
});
