// Poison messages go to the dead-letter queue with the reason, and the worker keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { TaskEvent } from '../../runtime/src/protocol.ts';
import { createWorker } from '../../runtime/src/worker/worker.ts';
import { add, app } from '../fixtures/worker/tasks.ts';

const BROKER = 'memory://deadletter-test';
process.env.TASKLANE_BROKER = BROKER;
const appPath = join(__dirname, '../fixtures/worker/tasks.ts');

test('undecodable, unknown and too-often-delivered messages are dead-lettered; the worker keeps serving', async () => {
  const broker = createBroker(BROKER);
  await broker.connect();
  const lines: string[] = [];
  const worker = createWorker({
    broker: createBroker(BROKER), ownsBroker: true, pool: 'async', queues: ['dl'], app: appPath,
    maxDeliveries: 2, fetchWaitMs: 100, logger: new Logger('worker dl', 'info', (line) => lines.push(line)),
  });
  const dead: TaskEvent[] = [];
  const unsubscribe = await broker.subscribe((event) => { if (event.type === 'task-dead-lettered') dead.push(event); });

  // A message some worker keeps crashing on: reserved and never acked, three times over.
  const short = createBroker(`${BROKER}?visibilityTimeout=50ms`);
  await short.connect();
  await short.publish({ id: 'poison-1', task: 't.add', args: [1, 2], queue: 'dl', retries: 0, createdAt: Date.now() });
  for (let i = 0; i < 2; i++) {
    let got: unknown[] = [];
    while (!got.length) got = await short.fetch(['dl'], 1, { waitMs: 200 });
  }
  await worker.start();
  await broker.publishRaw('dl', '{"this is": not json');
  await broker.publish({ id: 'unknown-1', task: 't.nope', args: [], queue: 'dl', retries: 0, createdAt: Date.now() });

  while (dead.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
  const reasons = (await broker.deadLetters()).map((d) => d.reason).join('\n');
  assert.match(reasons, /message on queue "dl" is undecodable: not JSON \(/);
  assert.match(reasons, /unknown task "t\.nope" \(registered here: .*t\.add/);
  assert.match(reasons, /delivered 3 times, more than maxDeliveries \(2\)/);
  assert.deepEqual(dead.map((e) => e.id).filter(Boolean).sort(), ['poison-1', 'unknown-1']);
  assert.ok(lines.some((line) => /WARN  \[worker dl\] task t\.nope\[unknow\] dead-lettered: unknown task/.test(line)), lines.join('\n'));

  const r = await add.applyAsync([20, 22], { queue: 'dl' });
  assert.equal(await r.get({ timeout: '10s' }), 42, 'the worker still serves');
  assert.equal(worker.info().failed, 3);
  await unsubscribe();
  await worker.stop();
  await Promise.all([broker.close(), short.close(), app.close()]);
});
