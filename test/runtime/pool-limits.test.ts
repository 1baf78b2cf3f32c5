// Time limits, dead executors and recycling, in the pools that can do each: the soft limit and an
// abort fire the task's signal everywhere; threads and prefork kill and replace at the hard limit,
// report a dead thread or child, and keep serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool, type Invocation, type Pool, type PoolOptions } from '../../runtime/src/pool/index.ts';
import type { PoolKind } from '../../runtime/src/protocol.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
const scratch = mkdtempSync(join(tmpdir(), 'tasklane-pool-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

interface Where { pid: number; threadId: number }

function invocation(task: string, args: unknown[] = [], extra: Partial<Invocation> = {}): Invocation {
  return { id: randomUUID(), task, args, queue: 'default', retries: 0, ...extra };
}

async function withPool<T>(kind: PoolKind, options: Partial<PoolOptions>, body: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(kind, { appPath, concurrency: 1, ...options });
  await pool.start();
  try {
    return await body(pool);
  } finally {
    await pool.close({ graceful: false });
  }
}

async function where(pool: Pool): Promise<Where> {
  const outcome = await pool.run(invocation('probe.where'));
  assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
  return outcome.result as Where;
}

const same = (a: Where, b: Where) => a.pid === b.pid && a.threadId === b.threadId;

for (const kind of ['solo', 'async', 'threads', 'prefork'] as const) {
  test(`${kind}: the soft time limit aborts the task's signal`, { timeout: 60_000 }, async () => {
    await withPool(kind, {}, async (pool) => {
      const outcome = await pool.run(invocation('probe.waitForAbort', [], { softTimeLimitMs: 100 }));
      assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
      assert.equal((outcome.result as { reason: string }).reason, 'SoftTimeLimitExceeded');
    });
  });

  test(`${kind}: aborting run()'s signal (revoke) reaches the task's signal`, { timeout: 60_000 }, async () => {
    await withPool(kind, {}, async (pool) => {
      const revoke = new AbortController();
      const running = pool.run(invocation('probe.waitForAbort'), revoke.signal);
      await sleep(300);
      revoke.abort(new Error('revoked'));
      const outcome = await running;
      assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
    });
  });
}

for (const kind of ['threads', 'prefork'] as const) {
  test(`${kind}: a task hanging past its hard limit is killed, its executor replaced, and the pool still serves`, { timeout: 60_000 }, async () => {
    await withPool(kind, {}, async (pool) => {
      const before = await where(pool);
      const outcome = await pool.run(invocation('probe.hang', [], { timeLimitMs: 300 }));
      assert.equal(outcome.ok, false);
      assert.equal(outcome.crash, 'time-limit');
      assert.match(outcome.error!.message, /hard time limit \(300 ms\)/);
      const after = await where(pool);
      assert.ok(!same(before, after), 'a new thread or child serves after the kill');
    });
  });

  test(`${kind}: a task that ends its executor is reported died and the pool still serves`, { timeout: 60_000 }, async () => {
    await withPool(kind, {}, async (pool) => {
      const outcome = await pool.run(invocation('probe.exit'));
      assert.equal(outcome.ok, false);
      assert.equal(outcome.crash, 'died');
      await where(pool);
    });
  });

  test(`${kind}: maxTasksPerChild recycles the executor`, { timeout: 60_000 }, async () => {
    await withPool(kind, { maxTasksPerChild: 2 }, async (pool) => {
      const runs = [await where(pool), await where(pool), await where(pool), await where(pool)];
      assert.ok(same(runs[0], runs[1]));
      assert.ok(!same(runs[1], runs[2]), 'replaced after its 2nd task');
      assert.ok(same(runs[2], runs[3]));
    });
  });
}

test('prefork: SIGKILL of a child mid-task reports the task died, and a replacement serves', { timeout: 60_000 }, async () => {
  await withPool('prefork', { concurrency: 2 }, async (pool) => {
    const file = join(scratch, 'announce.json');
    const running = pool.run(invocation('probe.announce', [file, 30_000]));
    while (!existsSync(file)) await sleep(20);
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as Where;
    process.kill(pid, 'SIGKILL');
    const outcome = await running;
    assert.equal(outcome.ok, false);
    assert.equal(outcome.crash, 'died');
    assert.equal(outcome.pid, pid);
    assert.match(outcome.error!.message, /SIGKILL/);
    const both = await Promise.all([pool.run(invocation('probe.spin', [200])), pool.run(invocation('probe.spin', [200]))]);
    const pids = both.map((o) => (o.result as Where).pid);
    assert.equal(new Set(pids).size, 2, 'two live children again');
    assert.ok(!pids.includes(pid));
  });
});

test('prefork: maxMemoryPerChild recycles a child whose rss grew past it', { timeout: 60_000 }, async () => {
  await withPool('prefork', { maxMemoryPerChild: 150 }, async (pool) => {
    const first = await where(pool);
    const big = await pool.run(invocation('probe.allocate', [200]));
    assert.equal(big.ok, true, JSON.stringify(big.error));
    assert.ok(same(first, big.result as Where));
    const after = await where(pool);
    assert.ok(!same(first, after), 'the grown child was replaced');
  });
});

test('threads: a thread out of its heap limit (maxMemoryPerChild) is reported memory, and the pool still serves', { timeout: 60_000 }, async () => {
  await withPool('threads', { maxMemoryPerChild: 64 }, async (pool) => {
    const outcome = await pool.run(invocation('probe.leak'));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.crash, 'memory');
    await where(pool);
  });
});

test('threads: terminating a task run in a batch of short ones ends it alone; the others of its batch run again elsewhere', { timeout: 60_000 }, async () => {
  await withPool('threads', {}, async (pool) => {
    for (let i = 0; i < 30; i++) await pool.run(invocation('probe.whereOrHang'));
    assert.ok(pool.pipelineRoom! > 0, 'measured short');
    // One thread: the first two go alone (one running, one queued behind it), the other seven as one batch.
    const file = join(scratch, 'batch-hang');
    const hang = invocation('probe.whereOrHang', [file]);
    const shorts = Array.from({ length: 8 }, () => invocation('probe.whereOrHang'));
    const runs = [...shorts.slice(0, 4), hang, ...shorts.slice(4)].map((task) => pool.run(task));
    while (!existsSync(file)) await sleep(20);
    assert.equal(pool.abort(hang.id, new Error('revoked'), true), true);
    const [first, second, third, fourth, hung, ...rest] = await Promise.all(runs);
    assert.equal(hung.ok, false);
    assert.equal(hung.error!.name, 'TaskRevoked');
    assert.match(hung.error!.message, /its thread was terminated and replaced/);
    assert.ok(hung.threadId > 0, 'the slot table said which thread ran it');
    for (const outcome of [first, second, third, fourth, ...rest]) assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
    assert.ok(rest.every((outcome) => outcome.threadId !== hung.threadId), 'the tasks after it in its batch ran on its replacement');
  });
});

test('solo and async cannot pre-empt: the hard limit fires the signal, with a warning', { timeout: 60_000 }, async () => {
  for (const kind of ['solo', 'async'] as const) {
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
    await withPool(kind, { log }, async (pool) => {
      const outcome = await pool.run(invocation('probe.waitForAbort', [], { timeLimitMs: 100 }));
      assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
      assert.match(warnings.join('\n'), /cannot enforce/);
    });
  }
});

test('a closed pool answers instead of running', { timeout: 60_000 }, async () => {
  for (const kind of ['solo', 'async', 'threads', 'prefork'] as const) {
    const pool = createPool(kind, { appPath, concurrency: 1 });
    await pool.start();
    await pool.close({ graceful: true });
    const outcome = await pool.run(invocation('probe.where'));
    assert.equal(outcome.ok, false, kind);
    assert.equal(outcome.error!.name, 'PoolClosedError');
  }
});

test('prefork and threads: a cold close ends running tasks, reported died', { timeout: 60_000 }, async () => {
  for (const kind of ['threads', 'prefork'] as const) {
    const pool = createPool(kind, { appPath, concurrency: 1 });
    await pool.start();
    const running = pool.run(invocation('probe.hang'));
    await sleep(300);
    await pool.close({ graceful: false });
    const outcome = await running;
    assert.equal(outcome.crash, 'died', kind);
    assert.match(outcome.error!.message, /cold shutdown/);
  }
});

for (const kind of ['prefork', 'threads'] as const) test(`${kind}: an app broken while the pool runs fails tasks with the load error, without a respawn storm, and recovers when fixed`, { timeout: 60_000 }, async () => {
  const folder = mkdtempSync(join(scratch, 'broken-'));
  const app = join(folder, 'tasks.ts');
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  copyFileSync(join(__dirname, '../fixtures/apps/standalone.ts'), app);
  const errors: string[] = [];
  const log = { info() {}, warn() {}, error: (m: string) => errors.push(m) };
  const pool = createPool(kind, { appPath: app, concurrency: 1, maxTasksPerChild: 1, log });
  await pool.start();
  try {
    writeFileSync(app, "throw new Error('half-saved edit');\n");
    // Runs in the child or thread loaded before the edit; its replacement loads the broken file.
    assert.equal((await pool.run(invocation('standalone.hello', ['a']))).ok, true);
    const failed = await pool.run(invocation('standalone.hello', ['b']));
    assert.equal(failed.ok, false);
    assert.match(failed.error!.message, /failed to load .*half-saved edit/s);
    copyFileSync(join(__dirname, '../fixtures/apps/standalone.ts'), app);
    const recovered = await pool.run(invocation('standalone.hello', ['c']));
    assert.equal(recovered.ok, true, JSON.stringify(recovered.error));
    assert.ok(errors.length >= 1 && errors.length <= 3, `retried with a pause, not in a loop: ${errors.length} failed loads`);
  } finally {
    await pool.close({ graceful: false });
  }
});

test('solo and async: a cold close signals running tasks and does not wait for one that ignores it', { timeout: 60_000 }, async () => {
  for (const kind of ['solo', 'async'] as const) {
    const pool = createPool(kind, { appPath, concurrency: 1 });
    await pool.start();
    let finished = false;
    const running = pool.run(invocation('probe.sleep', [3000])).then((outcome) => { finished = true; return outcome; });
    await sleep(100);
    await pool.close({ graceful: false });
    assert.equal(finished, false, `${kind}: close returned while the task still runs`);
    assert.equal((await running).ok, true);
  }
});
