// The embedded broker with several real processes on one directory. This file is also the child
// program: run with BROKER_ROLE=producer|consumer it plays that role instead of defining tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ABORT, open } from 'lmdb';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { gatePath, Store } from '../../runtime/src/broker/file-store.ts';

const role = process.env.BROKER_ROLE;

async function produce(dir: string, prefix: string, count: number): Promise<void> {
  const broker = createBroker(`file://${dir}`);
  await broker.connect();
  for (let i = 0; i < count; i++) {
    await broker.publish({ id: `${prefix}-${i}`, task: 'demo.noop', args: [i], queue: 'q', retries: 0, createdAt: Date.now() });
  }
  await broker.close();
}

/** Connects to the folder and closes again, `times` times over, as short-lived commands do. */
async function reopen(dir: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const broker = createBroker(`file://${dir}`);
    await broker.connect();
    await broker.close();
  }
}

/** Prints "got <id> <deliveryCount>" per message after acking it; with HOLD=n, takes n and never acks. */
async function consume(dir: string): Promise<void> {
  const broker = createBroker(`file://${dir}`, { visibilityTimeoutMs: 10 * 60_000 });
  await broker.connect();
  const hold = Number(process.env.HOLD ?? 0);
  if (hold) {
    const held = await broker.fetch(['q'], hold, { waitMs: 30_000 });
    process.stdout.write(held.map((d) => `held ${d.message!.id}\n`).join(''));
    setInterval(() => undefined, 60_000); // hold them until killed
    return;
  }
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.stdout.write('ready\n');
  while (!stop.signal.aborted) {
    const batch = await broker.fetch(['q'], 10, { waitMs: 1000, signal: stop.signal });
    await broker.ack(batch);
    if (batch.length) process.stdout.write(batch.map((d) => `got ${d.message!.id} ${d.deliveryCount}\n`).join(''));
  }
  await broker.close();
}

/**
 * On each "hold" line, holds the gate of the store in `dir` until a file "release" appears there,
 * as a process writing to the store does for the length of its transaction.
 */
async function holdGate(dir: string): Promise<void> {
  const gate = open({ path: gatePath(join(dir, 'store.mdb')), noSync: true });
  const release = join(dir, 'release');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'hold') continue;
    gate.transactionSync(() => {
      process.stdout.write('holding\n');
      while (!existsSync(release)) Atomics.wait(pause, 0, 0, 5);
      return ABORT;
    });
    rmSync(release);
    process.stdout.write('released\n');
  }
}

/**
 * Opens the store in `dir` ("ready"); then opens it again on each "open" line ("opening", "opened":
 * the folder's gate is open in this process by then, so only the gate can make it wait) and
 * enqueues a message on each "put" line ("putting", "put").
 */
async function useStore(dir: string): Promise<void> {
  const path = join(dir, 'store.mdb');
  const stores = [new Store(path, 'user')];
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'open') {
      process.stdout.write('opening\n');
      stores.push(new Store(path, 'user'));
      process.stdout.write('opened\n');
    } else if (line === 'put') {
      process.stdout.write('putting\n');
      await stores[0].put('q', '{}', {});
      process.stdout.write('put\n');
    }
  }
}

/** Whether the process's main thread sleeps on a lock (Linux: its wait channel is a futex). */
function waitsOnLock(pid: number): boolean {
  return readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('futex');
}

/** Runs `body` in a new folder; then kills what it left running and removes the folder. */
async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tasklane-file-'));
  try {
    await body(dir);
  } finally {
    killRunning();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Child {
  process: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

/** Children still running: a test that fails kills them, or they would keep this process (and the suite) alive. */
const running = new Set<ChildProcess>();

function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

function spawnRole(roleName: string, args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=tasklane-source', process.argv[1], ...args], {
    env: { ...process.env, ...env, BROKER_ROLE: roleName },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let rest = '';
  child.stdout!.on('data', (data) => {
    const parts = (rest + data).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  return { process: child, lines, exited };
}

async function until(check: () => boolean, what: string, state = () => '', timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${state()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const got = (children: Child[]) => children.flatMap((c) => c.lines.filter((l) => l.startsWith('got ')).map((l) => l.split(' ')));

const fail = (error: unknown) => { console.error(error); process.exit(1); };
if (role === 'producer') {
  produce(process.argv[2], process.argv[3], Number(process.argv[4])).catch(fail);
} else if (role === 'consumer') {
  consume(process.argv[2]).catch(fail);
} else if (role === 'reopener') {
  reopen(process.argv[2], Number(process.argv[3])).catch(fail);
} else if (role === 'gate-holder') {
  holdGate(process.argv[2]).catch(fail);
} else if (role === 'store-user') {
  useStore(process.argv[2]).catch(fail);
} else {
  test('producers and consumers in separate processes: every message consumed exactly once', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasklane-file-'));
    try {
      const consumers = [1, 2, 3].map(() => spawnRole('consumer', [dir]));
      // A consumer still loading when SIGTERM comes would die of it: start producing once all listen.
      await until(() => consumers.every((c) => c.lines.includes('ready')), 'consumers ready');
      const producers = ['a', 'b'].map((p) => spawnRole('producer', [dir, p, '400']));
      assert.deepEqual(await Promise.all(producers.map((p) => p.exited)), [0, 0]);
      await until(() => got(consumers).length >= 800, '800 messages consumed', () => {
        // What the store holds then: lost (neither consumed nor held) or stuck (held or waiting).
        const store = new Store(join(dir, 'store.mdb'), 'test');
        try {
          return `: consumed ${consumers.map((c) => got([c]).length).join(' + ')}, waiting ${store.length('q')}, reserved ${store.reservedCount('q')}`;
        } finally {
          void store.close();
        }
      });
      for (const c of consumers) c.process.kill('SIGTERM');
      assert.deepEqual(await Promise.all(consumers.map((c) => c.exited)), [0, 0, 0]);

      const ids = got(consumers).map(([, id]) => id);
      const expected = ['a', 'b'].flatMap((p) => Array.from({ length: 400 }, (_, i) => `${p}-${i}`));
      assert.deepEqual([...ids].sort(), expected.sort(), 'each message exactly once');
      assert.ok(got(consumers).every(([, , count]) => count === '1'), 'nothing redelivered');
      assert.ok(consumers.filter((c) => c.lines.some((l) => l.startsWith('got '))).length >= 2, 'the work was shared');
      const store = new Store(join(dir, 'store.mdb'), 'test');
      assert.deepEqual([...store.payloads('q')], [], 'nothing left waiting or reserved');
      await store.close();
    } finally {
      killRunning();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a consumer SIGKILLed while holding messages: they are redelivered to another, nothing lost', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasklane-file-'));
    try {
      const producer = spawnRole('producer', [dir, 'm', '100']);
      assert.equal(await producer.exited, 0);
      const holder = spawnRole('consumer', [dir], { HOLD: '20' });
      await until(() => holder.lines.length === 20, 'the holder to take 20 messages');
      const held = holder.lines.map((l) => l.split(' ')[1]);
      holder.process.kill('SIGKILL');
      await holder.exited;

      // The visibility timeout is 10 minutes: only noticing the dead owner brings them back this soon.
      const survivor = spawnRole('consumer', [dir]);
      await until(() => got([survivor]).length >= 100, 'all 100 messages consumed by the survivor');
      survivor.process.kill('SIGTERM');
      assert.equal(await survivor.exited, 0);

      const deliveries = new Map(got([survivor]).map(([, id, count]) => [id, Number(count)]));
      assert.equal(got([survivor]).length, 100);
      assert.deepEqual([...deliveries.keys()].sort(), Array.from({ length: 100 }, (_, i) => `m-${i}`).sort());
      for (const id of held) assert.equal(deliveries.get(id), 2, `${id} was delivered a second time`);
      assert.equal([...deliveries.values()].filter((c) => c === 1).length, 80);
    } finally {
      killRunning();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('processes connecting and closing over and over while another publishes: every message published stays', { timeout: 180_000 }, () => inTempDir(async (dir) => {
    const producer = spawnRole('producer', [dir, 'p', '10000']);
    const reopeners = [1, 2].map(() => spawnRole('reopener', [dir, '300']));
    assert.deepEqual(await Promise.all([producer, ...reopeners].map((c) => c.exited)), [0, 0, 0]);
    const store = new Store(join(dir, 'store.mdb'), 'test');
    assert.equal(store.length('q'), 10000);
    await store.close();
  }));

  test('a process opening the store, or writing to it, waits while another process writes (a commit landing during an open was lost)', { timeout: 120_000 }, () => inTempDir(async (dir) => {
    const release = () => writeFileSync(join(dir, 'release'), '');
    const user = spawnRole('store-user', [dir]);
    await until(() => user.lines.includes('ready'), 'the user to open the store');
    const holder = spawnRole('gate-holder', [dir]);
    /** Sends `command` to the user while the holder holds the gate: `done` must wait for the release. */
    const whileHeld = async (command: string, started: string, done: string) => {
      holder.process.stdin!.write('hold\n');
      await until(() => holder.lines.at(-1) === 'holding', 'the holder to take the gate');
      user.process.stdin!.write(`${command}\n`);
      await until(() => user.lines.includes(started), `the user to start: ${command}`);
      await until(() => user.lines.includes(done) || waitsOnLock(user.process.pid!), `the user to finish or wait: ${command}`);
      assert.ok(!user.lines.includes(done), `${command} went on while another process was writing`);
      release();
      await until(() => user.lines.includes(done), `${command} once the other process is done`);
    };
    await whileHeld('open', 'opening', 'opened');
    await whileHeld('put', 'putting', 'put');
    const store = new Store(join(dir, 'store.mdb'), 'test');
    assert.equal(store.length('q'), 1);
    await store.close();
  }));
}
