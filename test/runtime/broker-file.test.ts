// Embedded broker specifics (one process; several processes: broker-file-processes.test.ts).
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { baseName, delayedName, readyName, reservedName } from '../../runtime/src/broker/file-names.ts';
import type { TaskEvent, TaskMessage, TaskResult } from '../../runtime/src/protocol.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A table of the broker's LMDB store, opened as another process would. */
function table<V>(dir: string, name: string) {
  const root = open({ path: join(dir, 'store.mdb'), noSync: true });
  return { db: root.openDB<V, string>({ name }), close: () => root.close(), fresh: () => root.resetReadTxn() };
}

const message = (id: string, args: unknown[] = []): TaskMessage => ({ id, task: 'demo.noop', args, queue: 'q', retries: 0, createdAt: Date.now() });
const result = (id: string): TaskResult => ({ id, task: 'demo.noop', state: 'SUCCESS', result: null, finishedAt: Date.now(), worker: 'w', pool: 'async' });

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
  await holder.publish(message('m1'));
  const [held] = await holder.fetch(['q'], 1, { waitMs: 0 });
  assert.deepEqual(await other.fetch(['q'], 1, { waitMs: 1500 }), [], 'a live owner keeps its lease');
  // The same pid with another start time: what a process reusing a dead owner's pid looks like.
  const reserved = table<{ owner: string }>(dir, 'reserved');
  const [{ key, value }] = [...reserved.db.getRange()];
  assert.match(value.owner, /^\d+-\d+$/);
  reserved.db.putSync(key, { ...value, owner: value.owner.replace(/-\d+$/, '-1') });
  await reserved.close();
  const [back] = await other.fetch(['q'], 1, { waitMs: 10_000 });
  assert.equal(back?.message?.id, held.message?.id);
  assert.equal(back.deliveryCount, 2);
  await Promise.all([holder.close(), other.close()]);
});

test('expired results are swept from the store in the background: the store that starts the sweep does not wait for it', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const old = createBroker(`file://${dir}`);
  for (let i = 0; i < 3000; i++) await old.storeResult(result(`old-${i}`), 1);
  await old.close();
  const results = table(dir, 'results');
  const count = () => { results.fresh(); return results.db.getCount(); };
  const expired = count(); // less what the old broker's own first sweep found expired
  assert.ok(expired > 2900, `${expired} expired results to sweep`);

  // A new process's first store sweeps (then at most once a minute).
  const broker = createBroker(`file://${dir}`);
  await broker.storeResult(result('fresh'), 60_000);
  assert.equal(count(), expired + 1, 'the store returned before the sweep removed anything');
  for (let waited = 0; count() > 1 && waited < 30_000; waited += 50) await sleep(50);
  assert.deepEqual([...results.db.getKeys()], ['fresh']);
  assert.equal((await broker.getResult('fresh'))?.id, 'fresh');
  await Promise.all([broker.close(), results.close()]);
});

test('a result stored again expires at its last time to live, earlier or later than the first', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const first = createBroker(`file://${dir}`);
  await first.storeResult(result('longer'), 1);
  await first.storeResult(result('longer'), 60_000);
  await first.storeResult(result('shorter'), 60_000);
  await first.storeResult(result('shorter'), 1);
  await first.close();
  const results = table(dir, 'results');
  const keys = () => { results.fresh(); return [...results.db.getKeys()]; };
  // A new broker's first store sweeps.
  const broker = createBroker(`file://${dir}`);
  await broker.storeResult(result('fresh'), 60_000);
  for (let waited = 0; keys().includes('shorter') && waited < 30_000; waited += 50) await sleep(50);
  assert.deepEqual(keys(), ['fresh', 'longer']);
  assert.equal((await broker.getResult('longer'))?.id, 'longer');
  await Promise.all([broker.close(), results.close()]);
});

test('the store stays bounded: rounds of tasks whose results expire reuse its space', { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t);
  const padding = 'x'.repeat(2000);
  const size = () => statSync(join(dir, 'store.mdb')).size;
  const sizes: number[] = [];
  for (let round = 0; round < 6; round++) {
    // A new broker per round: its first store sweeps what expired (then at most once a minute).
    const broker = createBroker(`file://${dir}`);
    for (let i = 0; i < 2000; i++) await broker.publish(message(`r${round}-${i}`, [padding]));
    for (;;) {
      const batch = await broker.fetch(['q'], 100, { waitMs: 0 });
      if (!batch.length) break;
      for (const d of batch) await broker.storeResultAndAck!({ ...result(d.message!.id), result: padding }, 50, d);
    }
    await sleep(300); // the round's sweep has run; this round's results have expired
    await broker.close();
    sizes.push(size());
  }
  t.diagnostic(`store sizes: ${sizes.join(', ')}`);
  // 2,000 messages and 2,000 results of ~2 kB each are ~8 MB at their peak; six rounds without
  // reuse would be ~50 MB.
  assert.ok(Math.max(...sizes) < 24 * 1024 * 1024, `store sizes ${sizes.join(', ')}`);
  assert.ok(sizes[5] <= sizes[1] * 1.2, `grows after round 2: ${sizes.join(', ')}`);
  const results = table(dir, 'results');
  assert.ok(results.db.getCount() <= 2000, `${results.db.getCount()} results kept`);
  await results.close();
});

test('a folder of the file-per-message broker is carried over: waiting, delayed and held messages, and live results', async (t) => {
  const dir = tempDir(t);
  const queue = join(dir, 'queues', 'q');
  for (const state of ['ready', 'delayed', 'reserved']) mkdirSync(join(queue, state), { recursive: true });
  mkdirSync(join(dir, 'results'));
  const now = Date.now();
  writeFileSync(join(queue, 'ready', readyName(baseName(0, now, 1, 'old'), 0)), JSON.stringify(message('waiting')));
  writeFileSync(join(queue, 'ready', readyName(baseName(9, now, 2, 'old'), 0)), JSON.stringify(message('urgent')));
  writeFileSync(join(queue, 'delayed', delayedName(now + 60_000, baseName(0, now, 3, 'old'), 0)), JSON.stringify(message('later')));
  writeFileSync(join(queue, 'reserved', reservedName(baseName(0, now, 4, 'old'), 1, '1', now + 60_000)), JSON.stringify(message('held')));
  writeFileSync(join(dir, 'results', 'done.json'), JSON.stringify({ expiresAt: now + 60_000, result: result('done') }));
  writeFileSync(join(dir, 'results', 'gone.json'), JSON.stringify({ expiresAt: now - 1, result: result('gone') }));
  const broker = createBroker(`file://${dir}`);
  const got = await broker.fetch(['q'], 10, { waitMs: 0 });
  assert.deepEqual(got.map((d) => [d.message?.id, d.deliveryCount]), [['urgent', 1], ['waiting', 1], ['held', 2]]);
  assert.deepEqual(await broker.queueLengths(['q']), { q: 1 });
  assert.equal(await broker.holds(['q'], 'later'), true);
  assert.equal((await broker.getResult('done'))?.id, 'done');
  assert.equal(await broker.getResult('gone'), undefined);
  assert.equal(existsSync(join(dir, 'queues')), false);
  assert.equal(existsSync(join(dir, 'results')), false);
  await broker.close();
});

test('a delayed message another process publishes while a consumer waits is fetched once due', async (t) => {
  const dir = tempDir(t);
  const consumer = createBroker(`file://${dir}`);
  const producer = createBroker(`file://${dir}`);
  assert.deepEqual(await consumer.fetch(['q'], 1, { waitMs: 0 }), [], 'the consumer has looked: nothing delayed then');
  const waiting = consumer.fetch(['q'], 1, { waitMs: 30_000 });
  await producer.publish({ ...message('later'), eta: Date.now() + 200 });
  assert.deepEqual((await waiting).map((d) => d.message?.id), ['later']);
  await Promise.all([consumer.close(), producer.close()]);
});

test('workers hear whether anyone subscribes: a new subscriber before the tasks it was sent for, a leaving or dead one within seconds', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const worker = createBroker(`file://${dir}`);
  const listening: boolean[] = [];
  const stop = await worker.watchListeners!((now) => listening.push(now));
  assert.deepEqual(listening, [false], 'nobody subscribes yet');

  const subscriber = createBroker(`file://${dir}`);
  const unsubscribe = await subscriber.subscribe(() => undefined);
  await subscriber.publish(message('m1'));
  const [d] = await worker.fetch(['q'], 1, { waitMs: 10_000 });
  assert.equal(d.message?.id, 'm1');
  assert.deepEqual(listening, [false, true], 'told before fetch handed out the task sent after the subscription');

  await unsubscribe();
  for (let waited = 0; listening.at(-1) !== false && waited < 20_000; waited += 50) await sleep(50);
  assert.deepEqual(listening, [false, true, false], 'the last one left');

  // A subscriber that died without leaving: its file names a process that is gone.
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(dir, 'listeners', `${dead}.gone.0`), '');
  for (let waited = 0; listening.at(-1) !== true && waited < 20_000; waited += 50) await sleep(50);
  for (let waited = 0; listening.at(-1) !== false && waited < 20_000; waited += 50) await sleep(50);
  assert.deepEqual(listening.slice(-1), [false], 'a dead subscriber does not count');
  assert.equal(existsSync(join(dir, 'listeners', `${dead}.gone.0`)), false, 'and its file is removed');
  await stop();
  await Promise.all([worker.close(), subscriber.close()]);
});
