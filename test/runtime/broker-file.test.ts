// Embedded broker specifics (one process; several processes: broker-file-processes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { TaskEvent } from '../../runtime/src/protocol.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tasklane-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the folder the broker creates ignores itself in git; a folder that already exists is left as it is', async (t) => {
  const dir = join(tempDir(t), '.tasklane');
  const broker = createBroker(`file://${dir}`);
  await broker.connect();
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '*\n');
  await broker.close();
  const own = tempDir(t);
  const existing = createBroker(`file://${own}`);
  await existing.connect();
  assert.equal(existsSync(join(own, '.gitignore')), false);
  await existing.close();
});

test('acked message files are rewritten for new messages instead of creating files', async (t) => {
  const dir = tempDir(t);
  const broker = createBroker(`file://${dir}`);
  const publish = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => broker.publish({
    id: `m${i}`, task: 'demo.noop', args: [i], queue: 'q', retries: 0, createdAt: Date.now(),
  })));
  const inodes = () => readdirSync(join(dir, 'queues', 'q', 'ready')).map((n) => statSync(join(dir, 'queues', 'q', 'ready', n)).ino).sort();
  await publish(10);
  const first = inodes();
  await broker.ack(await broker.fetch(['q'], 10, { waitMs: 0 }));
  assert.equal(readdirSync(join(dir, 'spare')).length, 10);
  await sleep(250); // the spare listing is re-read at most every 200 ms when this process freed nothing
  await publish(10);
  assert.deepEqual(inodes(), first);
  assert.equal(readdirSync(join(dir, 'spare')).length, 0);
  const again = await broker.fetch(['q'], 10, { waitMs: 0 });
  assert.deepEqual(again.map((d) => d.message?.args[0]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  await broker.close();
});

test('a subscriber tailing the event log follows it across a rotation and misses nothing', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const emitter = createBroker(`file://${dir}`);
  const listener = createBroker(`file://${dir}`);
  const seen: number[] = [];
  const unsubscribe = await listener.subscribe((e) => seen.push(e.retries!));
  const padding = 'x'.repeat(1000);
  let n = 0;
  const emitMany = (count: number) => Promise.all(Array.from({ length: count }, () =>
    emitter.emit({ type: 'task-retried', ts: Date.now(), retries: n++, reason: padding } satisfies TaskEvent)));
  // ~4.4 MB, then ~4.4 MB more (past the 8 MB bound: the log rotates), then more in the new log.
  await emitMany(4000);
  await sleep(1100);
  await emitMany(4000);
  await sleep(1100);
  await emitMany(1000);
  assert.ok(existsSync(join(dir, 'events.1.log')), 'the log rotated');
  const deadline = Date.now() + 60_000;
  while (seen.length < 9000 && Date.now() < deadline) await sleep(50);
  assert.equal(seen.length, 9000);
  assert.deepEqual(seen, Array.from({ length: 9000 }, (_, i) => i));
  await unsubscribe();
  await Promise.all([emitter.close(), listener.close()]);
});

test('a lease whose owner pid now belongs to another process (pid reused) is returned', async (t) => {
  const dir = tempDir(t);
  const holder = createBroker(`file://${dir}`, { visibilityTimeoutMs: 10 * 60_000 });
  const other = createBroker(`file://${dir}`, { visibilityTimeoutMs: 10 * 60_000 });
  await holder.publish({ id: 'm1', task: 'demo.noop', args: [], queue: 'q', retries: 0, createdAt: Date.now() });
  const [held] = await holder.fetch(['q'], 1, { waitMs: 0 });
  assert.deepEqual(await other.fetch(['q'], 1, { waitMs: 1500 }), [], 'a live owner keeps its lease');
  // The same pid with another start time: what a process reusing a dead owner's pid looks like.
  const reserved = join(dir, 'queues', 'q', 'reserved');
  const [name] = readdirSync(reserved);
  renameSync(join(reserved, name), join(reserved, name.replace(/\.(\d+)-\d+\.(\d+)$/, '.$1-1.$2')));
  const [back] = await other.fetch(['q'], 1, { waitMs: 10_000 });
  assert.equal(back?.message?.id, held.message?.id);
  assert.equal(back.deliveryCount, 2);
  await Promise.all([holder.close(), other.close()]);
});

test('expired results are swept from the folder in the background: the store that starts the sweep does not wait for it', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const result = (id: string) => ({ id, task: 'demo.noop', state: 'SUCCESS' as const, result: null, finishedAt: Date.now(), worker: 'w', pool: 'async' as const });
  const results = () => readdirSync(join(dir, 'results')).length;
  const old = createBroker(`file://${dir}`);
  for (let i = 0; i < 3000; i++) await old.storeResult(result(`old-${i}`), 1);
  await old.close();
  const expired = results();
  assert.ok(expired > 2900, `${expired} expired results to sweep`);

  // A new process's first store sweeps (then at most once a minute).
  const broker = createBroker(`file://${dir}`);
  await broker.storeResult(result('fresh'), 60_000);
  assert.equal(results(), expired + 1, 'the store returned before the sweep removed anything');
  for (let waited = 0; results() > 1 && waited < 30_000; waited += 50) await sleep(50);
  assert.deepEqual(readdirSync(join(dir, 'results')), ['fresh.json']);
  assert.equal((await broker.getResult('fresh'))?.id, 'fresh');
  await broker.close();
});
