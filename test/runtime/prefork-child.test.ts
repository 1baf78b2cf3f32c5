// Prefork children dying at awkward moments, on real processes: handed a task after an unnoticed
// death (the worker runs as its own process, the CLI, so a crash of the worker itself is seen as
// one), killed while loading the app.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { createPool } from '../../runtime/src/pool/index.ts';
import type { TaskMessage, TaskResult } from '../../runtime/src/protocol.ts';

const root = join(__dirname, '../..');
const bin = join(root, 'runtime/bin/tasklane.mjs');
const tasks = join(root, 'test/fixtures/worker/tasks.ts');
const scratch = mkdtempSync(join(tmpdir(), 'tasklane-prefork-child-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The pids of a process's children (Linux: /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
}

/** A prefork worker in its own process; resolves once it is online. */
async function startWorker(broker: string, queue: string, lines: string[]): Promise<ChildProcess> {
  // The parent's --import tsx: prefork children inherit it (the bin alone registers tsx only in itself).
  const worker = spawn(process.execPath, [...process.execArgv, bin, 'worker', '--app', tasks, '--pool', 'prefork', '--concurrency', '1', '--queues', queue, '--broker', broker], {
    cwd: root, env: { ...process.env, TASKLANE_BROKER: '', TASKLANE_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = createInterface({ input: worker.stdout! });
  const errors = createInterface({ input: worker.stderr! });
  errors.on('line', (line) => lines.push(line));
  output.on('line', (line) => lines.push(line));
  while (!lines.some((line) => /\] online: /.test(line))) {
    if (worker.exitCode !== null) throw new Error(`the worker exited at start:\n${lines.join('\n')}`);
    await sleep(20);
  }
  return worker;
}

/** A process's state letter from /proc (R, S, T stopped, Z zombie), or undefined once it is gone. */
function stateOf(pid: number): string | undefined {
  try {
    return /\) (\w)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(10);
  }
}

// The worker sees the child's death one of two ways, depending on how its event loop orders the
// report, the closed channel and the exit: a write that fails at once (EPIPE) or one that fails
// unseen. Five rounds make the first, which used to end the worker, all but certain to happen.
test('a task handed to a prefork child that died unnoticed (EPIPE) fails as WorkerDied; the worker lives and replaces the child', { timeout: 180_000 }, async () => {
  const url = `file://${join(scratch, 'epipe')}`;
  const queue = 'epipe';
  const producer = createBroker(url);
  await producer.connect();
  const lines: string[] = [];
  const worker = await startWorker(url, queue, lines);
  const exited = new Promise<'exited'>((resolve) => worker.once('exit', () => resolve('exited')));
  const send = async (task: string, args: unknown[]) => {
    const message: TaskMessage = { id: randomUUID(), task, args, queue, retries: 0, createdAt: Date.now() };
    await producer.publish(message);
    return message;
  };
  try {
    for (let round = 1; round <= 5; round++) {
      const sent: TaskMessage[] = [];
      for (let i = 0; i < 5; i++) sent.push(await send('t.sleep', [2]));
      // The child stops the worker once it holds the next task too, then reports: the report
      // waits in the channel. The child is then killed, and fully gone (a zombie: its end of the
      // channel closed) before the worker continues, reads the report and hands it the next task.
      const stopper = await send('t.stopWorker', [join(scratch, 'epipe', 'store.mdb'), queue, 2]);
      sent.push(stopper);
      for (let i = 0; i < 5; i++) sent.push(await send('t.sleep', [2]));
      await until(() => stateOf(worker.pid!) === 'T', 'the worker is stopped');
      const [child] = childrenOf(worker.pid!);
      await sleep(300);
      process.kill(child, 'SIGKILL');
      await until(() => stateOf(child) === 'Z', 'the child is a zombie');
      process.kill(worker.pid!, 'SIGCONT');

      const results = await Promise.race([Promise.all(sent.map((m) => producer.waitForResult(m.id, 60_000))), exited]);
      assert.notEqual(results, 'exited', `round ${round}: the worker is alive:\n${lines.join('\n')}`);
      (results as TaskResult[]).forEach((result, i) => assert.ok(result, `round ${round}: task ${i} has a result`));
      const failed = (results as TaskResult[]).filter((r) => r.state !== 'SUCCESS');
      assert.equal(failed.length, 1, `round ${round}: only the task handed to the dead child fails: ${JSON.stringify(failed)}`);
      assert.equal(failed[0].error!.name, 'WorkerDied', JSON.stringify(failed[0].error));
      assert.notEqual(failed[0].id, stopper.id, 'the stopper itself reported success');
      const [replacement] = childrenOf(worker.pid!);
      assert.ok(replacement && replacement !== child, `round ${round}: the child was replaced`);
    }
    assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 });
  } finally {
    worker.kill('SIGTERM');
    await exited;
    await producer.close();
  }
});

test('prefork: a child killed while loading is logged as killed, not as a load error; one that throws as it loads is', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(scratch, 'loading-'));
  process.env.TASKLANE_TEST_LOAD_DIR = dir;
  const errors: string[] = [];
  const pool = createPool('prefork', {
    appPath: join(root, 'test/fixtures/worker/loading.ts'), concurrency: 1, log: { info() {}, warn() {}, error: (m) => errors.push(m) },
  });
  await pool.start();
  const pid = async () => {
    const outcome = await pool.run({ id: randomUUID(), task: 'loading.pid', args: [], queue: 'default', retries: 0 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
    return outcome.result as number;
  };
  const loads = () => readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number);
  try {
    const first = await pid();
    writeFileSync(join(dir, 'hang'), '');
    process.kill(first, 'SIGKILL');
    let loading: number | undefined;
    await until(() => (loading = loads().find((p) => p !== first)) !== undefined, 'a replacement starts loading');
    process.kill(loading!, 'SIGKILL');
    await until(() => errors.length === 1, 'the killed child is logged');
    assert.match(errors[0], /a prefork child was killed \(SIGKILL\) while loading .*loading\.ts, before it was ready; it reported no load error, so something outside stopped it/);
    assert.doesNotMatch(errors[0], /could not load/);

    rmSync(join(dir, 'hang'));
    writeFileSync(join(dir, 'fail'), '');
    await until(() => errors.length === 2, 'the failed load is logged');
    assert.match(errors[1], /a prefork child could not load .*loading\.ts: Error: failing to load on purpose\n\s+at .*loading\.ts/);

    rmSync(join(dir, 'fail'));
    assert.ok(![first, loading].includes(await pid()), 'a fresh child serves once the app loads');
  } finally {
    await pool.close({ graceful: false });
  }
});

test('prefork: a child killed while the pool starts is replaced, and start() waits for the replacement; an app that throws as it loads still fails start()', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(scratch, 'starting-'));
  process.env.TASKLANE_TEST_LOAD_DIR = dir;
  const errors: string[] = [];
  const options = { appPath: join(root, 'test/fixtures/worker/loading.ts'), concurrency: 1, log: { info() {}, warn() {}, error: (m: string) => errors.push(m) } };
  const loads = () => readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number);
  writeFileSync(join(dir, 'hang'), '');
  const pool = createPool('prefork', options);
  try {
    const starting = pool.start();
    let first: number | undefined;
    await until(() => (first = loads()[0]) !== undefined, 'the first child starts loading');
    rmSync(join(dir, 'hang'));
    process.kill(first!, 'SIGKILL');
    await starting;
    assert.match(errors[0], /a prefork child was killed \(SIGKILL\) while loading .*; starting another in 1 s/);
    const outcome = await pool.run({ id: randomUUID(), task: 'loading.pid', args: [], queue: 'default', retries: 0 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.error));
    assert.notEqual(outcome.result, first, 'the replacement serves');
  } finally {
    await pool.close({ graceful: false });
  }

  writeFileSync(join(dir, 'fail'), '');
  const broken = createPool('prefork', options);
  await assert.rejects(broken.start(), /failing to load on purpose/);
});
