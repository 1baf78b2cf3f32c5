// Wakeup: a wake() that lands while a waiter is still looking (not yet parked) must not be lost,
// or the waiter sleeps a whole poll interval (the embedded broker's 500 ms round-trip p99).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { Wakeup } from '../../runtime/src/broker/wakeup.ts';
import type { TaskResult } from '../../runtime/src/protocol.ts';

const HOUR = 3_600_000;

test('a wake() between reading the generation and waiting ends the wait at once', async () => {
  const wakeup = new Wakeup();
  const seen = wakeup.generation;
  wakeup.wake(); // e.g. fs.watch fired while the result file was being read
  const outcome = await Promise.race([
    wakeup.wait(HOUR, undefined, seen).then(() => 'woken'),
    new Promise((resolve) => setTimeout(resolve, 10_000, 'still asleep')),
  ]);
  assert.equal(outcome, 'woken');
  assert.equal(wakeup.waiting, 0);
});

test('with no wake() since, the waiter parks until the next one', async () => {
  const wakeup = new Wakeup();
  const waiting = wakeup.wait(HOUR, undefined, wakeup.generation);
  assert.equal(wakeup.waiting, 1);
  wakeup.wake();
  await waiting;
  assert.equal(wakeup.waiting, 0);
});

test('memory broker: a result stored right after waitForResult starts looking wakes it (no gap between look and park)', async () => {
  const broker = createBroker('memory://wakeup-race');
  const result: TaskResult = { id: 'r1', task: 't', state: 'SUCCESS', result: 1, finishedAt: Date.now(), worker: 'w', pool: 'solo' };
  // A task that completes in a microtask (solo, async) stores its result before any timer runs:
  // here just after waitForResult has looked and before it could park, had it awaited in between.
  queueMicrotask(() => { void broker.storeResult(result, HOUR); });
  const waiting = broker.waitForResult('r1', 20_000);
  const outcome = await Promise.race([waiting, new Promise((resolve) => setTimeout(resolve, 10_000, 'still asleep'))]);
  assert.deepEqual(outcome, result);
});
