// A real worker process and signals: warm shutdown on SIGTERM (running tasks finish, prefetched
// ones go back, exit 0), cold on the second (exit 1, the interrupted task is delivered again), and
// SIGKILL of a worker holding prefetched tasks on the embedded and Redis brokers: every task is
// accounted for once another worker takes over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Broker } from '../../runtime/src/broker/broker.ts';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { TaskEvent } from '../../runtime/src/protocol.ts';
import { AsyncResult } from '../../runtime/src/result.ts';
import { buildMessage } from '../../runtime/src/message.ts';
import { startRedis } from '../helpers/redis.ts';

const root = join(__dirname, '../..');
const bin = join(root, 'runtime/bin/tasklane.mjs');
const app = join(root, 'test/fixtures/worker/tasks.ts');

function embeddedUrl(): string {
  return `${pathToFileURL(mkdtempSync(join(tmpdir(), 'tasklane-shutdown-'))).href}?consumerTimeout=2s`;
}

interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
}

async function startWorker(url: string, queue: string, extra: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bin, 'worker', '--app', app, '--pool', 'async', '--queues', queue, '--broker', url, '--name', `w-${queue}`, ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TASKLANE_CONFIG: '' },
  });
  const lines: string[] = [];
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => lines.push(line));
  for await (const line of reader) if (/\] online: /.test(line)) break;
  return { child, lines, exit };
}

async function send(broker: Broker, queue: string, task: string, args: unknown[]): Promise<AsyncResult> {
  const message = buildMessage(task, args, queue, {});
  await broker.publish(message);
  return new AsyncResult(message.id, task, async () => broker);
}

/**
 * Resolves once subscribed (so no start is missed, however fast the worker) to `all`, the first
 * `count` task-started events.
 */
async function started(broker: Broker, count: number): Promise<{ all: Promise<TaskEvent[]> }> {
  const events: TaskEvent[] = [];
  let done!: (events: TaskEvent[]) => void;
  const all = new Promise<TaskEvent[]>((resolve) => { done = resolve; });
  const unsubscribe = await broker.subscribe((event) => {
    if (event.type !== 'task-started' || events.length >= count) return;
    events.push(event);
    // Not from inside the listener: the broker is still delivering this batch of events.
    if (events.length === count) setImmediate(() => void unsubscribe().then(() => done(events)));
  });
  // Wrapped: an async function returning the promise itself would wait for it.
  return { all };
}

test('SIGTERM: warm shutdown finishes the running tasks, returns the prefetched one, exits 0', async () => {
  const url = embeddedUrl();
  const broker = createBroker(url);
  await broker.connect();
  const worker = await startWorker(url, 'warm', ['--concurrency', '2', '--prefetch', '1']);
  const { all: running } = await started(broker, 2);
  const results = await Promise.all(Array.from({ length: 5 }, () => send(broker, 'warm', 't.sleep', [1500])));
  await running;
  worker.child.kill('SIGTERM');
  assert.equal(await worker.exit, 0);
  const states = await Promise.all(results.map((r) => r.state()));
  assert.equal(states.filter((s) => s === 'SUCCESS').length, 2, `the two running tasks finished: ${states}`);
  assert.equal(states.filter((s) => s === 'PENDING').length, 3);
  assert.deepEqual(await broker.queueLengths(['warm']), { warm: 3 }, 'the prefetched task is back in the queue, with the two never fetched');
  assert.ok(worker.lines.some((l) => /returned 1 prefetched task\(s\) to the broker/.test(l)), worker.lines.join('\n'));
  assert.deepEqual(await broker.workers(), [], 'the worker signed off');
  await broker.close();
});

test('a second SIGTERM: cold shutdown exits 1 at once; the interrupted task is delivered again and completes', async () => {
  const url = embeddedUrl();
  const broker = createBroker(url);
  await broker.connect();
  const first = await startWorker(url, 'cold');
  const { all: running } = await started(broker, 1);
  const r = await send(broker, 'cold', 't.sleep', [2000]);
  await running;
  first.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  first.child.kill('SIGTERM');
  assert.equal(await first.exit, 1);
  assert.equal(await r.state(), 'PENDING', 'nothing stored for the killed attempt');
  const second = await startWorker(url, 'cold');
  assert.deepEqual(await r.get({ timeout: '60s' }), { ms: 2000, pid: second.child.pid });
  second.child.kill('SIGTERM');
  assert.equal(await second.exit, 0);
  await broker.close();
});

async function killWholeWorker(url: string, queue: string): Promise<void> {
  const broker = createBroker(url);
  await broker.connect();
  const first = await startWorker(url, queue, ['--concurrency', '2', '--prefetch', '2']);
  const { all: running } = await started(broker, 2);
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => send(broker, queue, 't.sleep', [300 + i])));
  await running;
  first.child.kill('SIGKILL');
  await first.exit;
  const second = await startWorker(url, queue, ['--concurrency', '8']);
  const values = await Promise.all(results.map((r) => r.get({ timeout: '90s' }) as Promise<{ ms: number }>));
  assert.deepEqual(values.map((v) => v.ms), Array.from({ length: 8 }, (_, i) => 300 + i), 'every task ran to success');
  second.child.kill('SIGTERM');
  assert.equal(await second.exit, 0);
  assert.deepEqual(await broker.queueLengths([queue]), { [queue]: 0 });
  await broker.close();
}

test('SIGKILL of a worker holding running and prefetched tasks, embedded broker: every task accounted for', async () => {
  await killWholeWorker(embeddedUrl(), 'killed');
});

test('SIGKILL of a worker holding running and prefetched tasks, Redis broker: every task accounted for', async () => {
  const redis = await startRedis();
  try {
    await killWholeWorker(`${redis.url}/0?consumerTimeout=2s`, 'killed');
  } finally {
    await redis.stop();
  }
});
