// How many tasks each pool really runs at once, and where: every task reports its pid, thread id
// and start/end, so overlap is read from the tasks themselves, not from timing thresholds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { createPool, type Invocation, type Pool } from '../../runtime/src/pool/index.ts';
import type { PoolKind } from '../../runtime/src/protocol.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');

interface Where { pid: number; threadId: number; startedAt: number; endedAt: number }

function invocation(task: string, args: unknown[]): Invocation {
  return { id: randomUUID(), task, args, queue: 'default', retries: 0 };
}

async function withPool<T>(kind: PoolKind, concurrency: number, body: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(kind, { appPath, concurrency });
  await pool.start();
  try {
    return await body(pool);
  } finally {
    await pool.close({ graceful: true });
  }
}

async function runAll(pool: Pool, task: string, args: unknown[], count: number): Promise<Where[]> {
  const outcomes = await Promise.all(Array.from({ length: count }, () => pool.run(invocation(task, args))));
  for (const outcome of outcomes) assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
  return outcomes.map((outcome) => outcome.result as Where);
}

/** The most tasks in flight at one instant, from their own start/end records. */
function maxInFlight(runs: Where[]): number {
  return Math.max(...runs.map((run) => runs.filter((other) => other.startedAt <= run.startedAt && run.startedAt < other.endedAt).length));
}

test('threads at concurrency 2 run two CPU tasks at once on two threads', { timeout: 60_000 }, async () => {
  const runs = await withPool('threads', 2, (pool) => runAll(pool, 'probe.spin', [400], 2));
  assert.equal(maxInFlight(runs), 2);
  assert.equal(new Set(runs.map((run) => run.threadId)).size, 2);
  assert.ok(runs.every((run) => run.pid === process.pid && run.threadId !== 0), 'worker threads of this process');
});

test('prefork at concurrency 2 runs two CPU tasks at once in two child processes', { timeout: 60_000 }, async () => {
  const runs = await withPool('prefork', 2, (pool) => runAll(pool, 'probe.spin', [400], 2));
  assert.equal(maxInFlight(runs), 2);
  assert.equal(new Set(runs.map((run) => run.pid)).size, 2);
  assert.ok(runs.every((run) => run.pid !== process.pid), 'child processes, not this one');
});

test('threads and prefork have every thread or child loaded when start() returns', { timeout: 60_000 }, async () => {
  for (const kind of ['threads', 'prefork'] as const) {
    const pool = createPool(kind, { appPath, concurrency: 2 });
    await pool.start();
    const started = Date.now();
    try {
      const runs = await Promise.all([1, 2].map(() => pool.run(invocation('probe.loadedAt', [300]))));
      const loads = runs.map((outcome) => outcome.result as Where & { loadedAt: number });
      assert.equal(new Set(loads.map((run) => `${run.pid}:${run.threadId}`)).size, 2, `${kind}: two executors`);
      assert.ok(loads.every((run) => run.loadedAt <= started), `${kind}: both loaded the app before start() returned`);
    } finally {
      await pool.close({ graceful: true });
    }
  }
});

test('async at concurrency 200 has 200 sleeping tasks in flight, and never more', { timeout: 60_000 }, async () => {
  const runs = await withPool('async', 200, (pool) => runAll(pool, 'probe.sleep', [500], 250));
  assert.equal(maxInFlight(runs), 200);
  assert.ok(runs.every((run) => run.pid === process.pid && run.threadId === 0), 'on this process\'s event loop');
});

test('solo never overlaps, whatever is submitted at once', { timeout: 60_000 }, async () => {
  const runs = await withPool('solo', 1, (pool) => runAll(pool, 'probe.sleep', [50], 5));
  assert.equal(maxInFlight(runs), 1);
  const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i].startedAt >= ordered[i - 1].endedAt);
});

test('threads and prefork never run more than their concurrency', { timeout: 60_000 }, async () => {
  for (const kind of ['threads', 'prefork'] as const) {
    const runs = await withPool(kind, 2, (pool) => runAll(pool, 'probe.sleep', [150], 6));
    assert.equal(maxInFlight(runs), 2, kind);
  }
});

// Pipelining (prefork.ts, short-tasks.ts): tasks measured short queue behind a busy child, several
// to a message; a task not measured short never waits behind a busy child.
test('prefork queues tasks measured short behind a busy child; a long one waits for an idle child instead', { timeout: 120_000 }, async () => {
  await withPool('prefork', 2, async (pool) => {
    assert.equal(pool.pipelineRoom, 0, 'nothing measured yet');
    for (let i = 0; i < 30; i++) await runAll(pool, 'probe.where', [], 1);
    assert.equal(pool.pipelineRoom, 16, 'short tasks lately: 8 more per child');
    // 200 at once on 2 children: all run, in both children, each child's one after another.
    const many = await runAll(pool, 'probe.where', [], 200);
    assert.equal(new Set(many.map((run) => run.pid)).size, 2);

    // Child A runs a long task; child B a shorter one. The next long task must go to B once it is
    // idle, never queue behind A (it would start only after A's 1.5 s).
    const [a, b, next] = [pool.run(invocation('probe.spin', [1500])), pool.run(invocation('probe.spin', [100])), pool.run(invocation('probe.spin', [100]))];
    const [ra, rb, rnext] = (await Promise.all([a, b, next])).map((outcome) => outcome.result as Where);
    assert.notEqual(ra.pid, rb.pid);
    assert.equal(rnext.pid, rb.pid, 'the long task waited for the idle child');
    assert.ok(rnext.startedAt < ra.endedAt, 'and started while the long one still ran');
    assert.equal(pool.pipelineRoom, 0, 'long tasks lately: no more than one per child');
  });
});

// threads batch short tasks (threads.ts): several to a piscina run, one message and one wake-up
// each way; a task not measured short runs alone, and nothing waits behind it. piscina's own run()
// is watched (and still called) to see how many tasks each dispatch carried.
test('threads run tasks measured short several to a dispatch; a long one runs alone and holds none back', { timeout: 120_000 }, async () => {
  const dispatched: number[] = [];
  const withSpin: number[] = [];
  const run = Piscina.prototype.run;
  Piscina.prototype.run = function (this: Piscina, task: { invocations?: Invocation[] }, options?: Parameters<Piscina['run']>[1]) {
    if (task.invocations) dispatched.push(task.invocations.length);
    if (task.invocations?.some((invocation) => invocation.task === 'probe.spin')) withSpin.push(task.invocations.length);
    return run.call(this, task, options);
  };
  try {
    await withPool('threads', 2, async (pool) => {
      assert.equal(pool.pipelineRoom, 0, 'nothing measured yet');
      await runAll(pool, 'probe.where', [], 10);
      assert.deepEqual(dispatched.slice(0, 2), [1, 1], 'never run here: one task per dispatch');
      for (let i = 0; i < 30; i++) await runAll(pool, 'probe.where', [], 1);
      assert.equal(pool.pipelineRoom, 18, 'short tasks lately: 8 more per thread');

      dispatched.length = 0;
      const many = await runAll(pool, 'probe.where', [], 200);
      assert.equal(new Set(many.map((where) => where.threadId)).size, 2, 'on both threads');
      assert.ok(dispatched.length <= 200 / 4, `several short tasks per dispatch (${dispatched.length} dispatches)`);
      assert.ok(Math.max(...dispatched) <= 9, 'at most one running and 8 behind it');

      // 20 short, one long, 20 short, at once: the long one is never batched, so the short ones
      // behind it run on the other thread meanwhile instead of waiting for its end.
      const shortOnes = () => Array.from({ length: 20 }, () => pool.run(invocation('probe.where', [])));
      const before = shortOnes();
      const long = pool.run(invocation('probe.spin', [1000]));
      const after = shortOnes();
      const [spin, ...shorts] = (await Promise.all([long, ...before, ...after])).map((outcome) => outcome.result as Where);
      assert.ok(withSpin.length && withSpin.every((tasks) => tasks === 1), 'the long task ran alone (queued behind a thread first, perhaps, and taken back)');
      for (const where of shorts) assert.ok(where.startedAt < spin.endedAt, 'no short task waited behind the long one');
      assert.equal(pool.pipelineRoom, 2, 'a task of a second lately: one queued per thread, no batches');
    });
  } finally {
    Piscina.prototype.run = run;
  }
});

test('threads queue a task behind a busy thread, and a thread that falls idle first takes it back from there', { timeout: 120_000 }, async () => {
  const runsOf = new Map<string, number>();
  const run = Piscina.prototype.run;
  Piscina.prototype.run = function (this: Piscina, task: { invocations?: Invocation[] }, options?: Parameters<Piscina['run']>[1]) {
    for (const { id } of task.invocations ?? []) runsOf.set(id, (runsOf.get(id) ?? 0) + 1);
    return run.call(this, task, options);
  };
  try {
    await withPool('threads', 2, async (pool) => {
      // probe.spin measured quick (under a second); A and B ran quick ones and are idle again.
      await runAll(pool, 'probe.spin', [50], 2);
      assert.equal(pool.pipelineRoom, 2, 'quick tasks lately: one queued per thread');
      // Thread A runs a longer task, thread B a shorter one; the third is queued behind one of them
      // (the balancer takes the first busy thread: A's). B falls idle first and must run it.
      const tasks = [invocation('probe.spin', [1500]), invocation('probe.spin', [100]), invocation('probe.spin', [100])];
      const [ra, rb, rnext] = (await Promise.all(tasks.map((task) => pool.run(task)))).map((outcome) => outcome.result as Where);
      assert.notEqual(ra.threadId, rb.threadId);
      assert.equal(rnext.threadId, rb.threadId, 'the queued task ran on the thread that fell idle');
      assert.ok(rnext.startedAt < ra.endedAt, 'while the long one still ran');
      assert.equal(runsOf.get(tasks[2].id), 2, 'queued behind the long task first, then taken back');
    });
  } finally {
    Piscina.prototype.run = run;
  }
});

test('threads: a revoke takes back a task queued behind a busy thread at once, without waiting for that thread', { timeout: 60_000 }, async () => {
  await withPool('threads', 1, async (pool) => {
    await runAll(pool, 'probe.spin', [50], 2);
    assert.equal(pool.pipelineRoom, 1, 'quick tasks lately: one queued behind the thread');
    const running = pool.run(invocation('probe.spin', [1000]));
    const queued = invocation('probe.spin', [50]);
    const revoked = pool.run(queued);
    assert.equal(pool.abort(queued.id, new Error('revoked'), false), true);
    const first = await Promise.race([revoked.then((outcome) => ({ which: 'revoked', outcome })), running.then((outcome) => ({ which: 'running', outcome }))]);
    assert.equal(first.which, 'revoked', 'answered before the thread finished its running task');
    assert.equal(first.outcome.error?.name, 'TaskRevoked');
    assert.equal((await running).ok, true);
  });
});
