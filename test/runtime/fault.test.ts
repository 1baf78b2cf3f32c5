// Faults through a real worker on the embedded broker: a prefork child SIGKILLed mid-task, a task
// hanging past its hard time limit. Each ends with every task accounted for (succeeded, or failed
// with a reason; nothing left on the queue) and the worker still serving.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBroker, type Broker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { PoolKind, TaskMessage, TaskResult } from '../../runtime/src/protocol.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
const scratch = mkdtempSync(join(tmpdir(), 'tasklane-fault-'));
const quiet = new Logger('fault', 'error', () => {});
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Where { pid: number; threadId: number }

async function setUp(pool: PoolKind, name: string): Promise<{ producer: Broker; worker: Worker; queue: string; send: (task: string, args?: unknown[]) => Promise<TaskMessage> }> {
  const url = `file://${join(scratch, name)}`;
  const queue = name;
  const producer = createBroker(url);
  await producer.connect();
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool, concurrency: 2, queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 100 });
  await worker.start();
  const send = async (task: string, args: unknown[] = []) => {
    const message: TaskMessage = { id: randomUUID(), task, args, queue, retries: 0, createdAt: Date.now() };
    await producer.publish(message);
    return message;
  };
  return { producer, worker, queue, send };
}

async function results(producer: Broker, messages: TaskMessage[]): Promise<TaskResult[]> {
  const found = await Promise.all(messages.map((m) => producer.waitForResult(m.id, 60_000)));
  found.forEach((result, i) => assert.ok(result, `task ${messages[i].task} ${messages[i].id} has a result`));
  return found as TaskResult[];
}

async function assertAllAccounted(producer: Broker, queue: string): Promise<void> {
  assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 });
  assert.deepEqual(await producer.deadLetters(), []);
}

async function killWhenAnnounced(file: string): Promise<number> {
  while (!existsSync(file)) await sleep(20);
  const { pid } = JSON.parse(readFileSync(file, 'utf8')) as Where;
  process.kill(pid, 'SIGKILL');
  return pid;
}

test('prefork: SIGKILL a child mid-task: the task fails with the reason, the others succeed, the worker serves on', { timeout: 120_000 }, async () => {
  const { producer, worker, queue, send } = await setUp('prefork', 'sigkill');
  try {
    const file = join(scratch, 'victim.json');
    const victim = await send('probe.announce', [file, 60_000]);
    const others = await Promise.all(Array.from({ length: 4 }, () => send('probe.spin', [50])));
    const killed = await killWhenAnnounced(file);
    const [lost, ...done] = await results(producer, [victim, ...others]);
    assert.equal(lost.state, 'FAILURE');
    assert.equal(lost.error!.name, 'WorkerDied');
    assert.match(lost.error!.message, /died: .*SIGKILL/);
    for (const result of done) assert.equal(result.state, 'SUCCESS');
    assert.ok(done.every((r) => (r.result as Where).pid !== killed));

    const later = await results(producer, [await send('probe.where')]);
    assert.equal(later[0].state, 'SUCCESS', 'the worker still serves');
    await assertAllAccounted(producer, queue);
  } finally {
    await worker.stop();
    await producer.close();
  }
});

test('prefork: a task with retries whose child is SIGKILLed is retried on a fresh child and succeeds', { timeout: 120_000 }, async () => {
  const { producer, worker, queue, send } = await setUp('prefork', 'sigkill-retry');
  try {
    const file = join(scratch, 'resilient.json');
    const task = await send('probe.resilient', [file]);
    const killed = await killWhenAnnounced(file);
    const [result] = await results(producer, [task]);
    assert.equal(result.state, 'SUCCESS', JSON.stringify(result.error));
    const { pid, retries } = result.result as Where & { retries: number };
    assert.equal(retries, 1);
    assert.notEqual(pid, killed);
    await assertAllAccounted(producer, queue);
  } finally {
    await worker.stop();
    await producer.close();
  }
});

for (const pool of ['threads', 'prefork'] as const) {
  test(`${pool}: a task hanging past its hard time limit fails with the reason and the worker serves on`, { timeout: 120_000 }, async () => {
    const { producer, worker, queue, send } = await setUp(pool, `hang-${pool}`);
    try {
      const hung = await send('probe.hangLimited');
      const others = await Promise.all(Array.from({ length: 4 }, () => send('probe.spin', [50])));
      const [timedOut, ...done] = await results(producer, [hung, ...others]);
      assert.equal(timedOut.state, 'FAILURE');
      assert.equal(timedOut.error!.name, 'TimeLimitExceeded');
      assert.match(timedOut.error!.message, /hard time limit \(300 ms\)/);
      for (const result of done) assert.equal(result.state, 'SUCCESS');

      // Both slots serve again, on two executors.
      const pair = await results(producer, [await send('probe.spin', [300]), await send('probe.spin', [300])]);
      const places = pair.map((r) => { const w = r.result as Where; return `${w.pid}/${w.threadId}`; });
      assert.equal(new Set(places).size, 2);
      await assertAllAccounted(producer, queue);
    } finally {
      await worker.stop();
      await producer.close();
    }
  });
}
