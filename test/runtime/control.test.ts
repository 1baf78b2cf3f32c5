// `tasklane control` end to end: real worker processes of each pool on the embedded broker and on
// a real redis-server, answering ping, rate-limit, pool grow/shrink and shutdown; `inspect stats`
// shows what their pools hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkerInfo } from '../../runtime/src/protocol.ts';
import { startWorkerProcess as startWorker, tasklaneCli } from '../helpers/cli.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

const root = join(__dirname, '../..');
const app = join(root, 'test/fixtures/worker/tasks.ts');
const dir = mkdtempSync(join(tmpdir(), 'tasklane-control-'));
const env = { ...process.env, TASKLANE_BROKER: '', TASKLANE_CONFIG: '' };
let redis: RedisServer;

before(async () => { redis = await startRedis(); });
after(async () => { await redis?.stop(); });

const tasklane = (args: string[]) => tasklaneCli(args, { cwd: dir, env });
const startWorkerProcess = (args: string[]) => startWorker(['-A', app, ...args], { cwd: dir, env });

async function stats(broker: string): Promise<Map<string, WorkerInfo>> {
  const { stdout } = await tasklane(['inspect', 'stats', '--json', '-b', broker]);
  return new Map((JSON.parse(stdout) as WorkerInfo[]).map((w) => [w.name, w]));
}

for (const kind of ['file', 'redis'] as const) {
  test(`${kind}: every worker answers control commands, one line each; pools grow and shrink; shutdown stops a worker warm`, async () => {
    const broker = kind === 'file' ? `file://${join(dir, '.tasklane')}` : redis.url;
    const names = { prefork: `${kind}-prefork`, threads: `${kind}-threads`, async: `${kind}-async`, solo: `${kind}-solo` };
    const workers = await Promise.all((['prefork', 'threads', 'async', 'solo'] as const).map((pool) =>
      startWorkerProcess(['-P', pool, '-c', '1', '-Q', `${kind}-${pool}`, '-n', names[pool], '-b', broker])));
    try {
      const ping = await tasklane(['control', 'ping', '-b', broker]);
      assert.equal(ping.code, 0, ping.stderr);
      assert.deepEqual(ping.stdout.trim().split('\n'), Object.values(names).sort().map((n) => `${n}: pong`));

      // A threads pool answers once its new threads are warm: more than the default second on a busy machine.
      const grow = await tasklane(['control', 'pool', 'grow', '2', '-b', broker, '--json', '--timeout', '20s']);
      const grown = JSON.parse(grow.stdout) as Array<{ worker: string; ok: boolean; reply?: string; error?: string }>;
      assert.equal(grow.code, 1, 'the solo worker refuses');
      assert.deepEqual(grown.find((r) => r.worker === names.prefork), { worker: names.prefork, ok: true, reply: 'pool prefork grown to 3' });
      assert.equal(grown.find((r) => r.worker === names.threads)?.reply, 'pool threads grown to 3');
      assert.equal(grown.find((r) => r.worker === names.async)?.reply, 'pool async grown to 3');
      assert.match(grown.find((r) => r.worker === names.solo)?.error ?? '', /the solo pool runs one task at a time: it cannot grow or shrink/);
      let now = await stats(broker);
      assert.equal(now.get(names.prefork)?.concurrency, 3);
      assert.equal(now.get(names.prefork)?.poolStats?.processes?.length, 3, 'three children');
      assert.equal(now.get(names.threads)?.poolStats?.size, 3);
      assert.equal(now.get(names.async)?.poolStats?.size, 3);
      const text = await tasklane(['inspect', 'stats', '-b', broker]);
      assert.match(text.stdout, new RegExp(`^${names.prefork}: pool prefork x 3,.*\\n  pool: size 3, processes \\d+ \\d+ \\d+, recycled 0$`, 'm'));
      assert.match(text.stdout, new RegExp(`^${names.threads}: pool threads x 3,.*\\n  pool: size 3, threads \\d+ \\d+ \\d+, recycled 0$`, 'm'));

      const shrink = await tasklane(['control', 'pool', 'shrink', '2', '-d', `${names.prefork},${names.threads}`, '-b', broker, '--timeout', '20s']);
      assert.equal(shrink.code, 0, shrink.stderr);
      assert.equal(shrink.stdout, `${names.prefork}: pool prefork shrunk to 1\n${names.threads}: pool threads shrunk to 1\n`);
      now = await stats(broker);
      assert.equal(now.get(names.prefork)?.poolStats?.processes?.length, 1, 'idle children retired at once');
      assert.equal(now.get(names.threads)?.poolStats?.threads?.length, 1, 'the old threads ended with their pool');
      assert.equal(now.get(names.async)?.concurrency, 3, 'not addressed, not shrunk');
      // The resized pools still run tasks.
      for (const pool of ['prefork', 'threads']) {
        const run = await tasklane(['call', 't.add', '[2, 3]', '-q', `${kind}-${pool}`, '--wait', '-t', '30s', '-b', broker]);
        assert.equal(run.stdout.trim().split('\n').at(-1), '5', run.stderr);
      }
      const tooFar = await tasklane(['control', 'pool', 'shrink', '5', '-d', names.async, '-b', broker]);
      assert.equal(tooFar.stdout, `${names.async}: error: cannot shrink the pool below 1 (it is 3)\n`);

      // A tighter rate limit on one worker spaces its starts of that task.
      const limit = await tasklane(['control', 'rate-limit', 't.now', '4/s', '-d', names.async, '-b', broker]);
      assert.equal(limit.stdout, `${names.async}: rate limit of t.now set to 4/s\n`);
      const starts = await Promise.all([0, 1, 2].map(async () => {
        const { stdout } = await tasklane(['call', 't.now', '-q', `${kind}-async`, '--wait', '-t', '30s', '-b', broker]);
        return Number(stdout.trim().split('\n').at(-1));
      }));
      starts.sort((a, b) => a - b);
      assert.ok(starts[2] - starts[0] >= 450, `starts 250 ms apart: ${starts.join(', ')}`);
      const bad = await tasklane(['control', 'rate-limit', 't.now', 'fast', '-d', names.async, '-b', broker]);
      assert.match(bad.stdout, /error: invalid rateLimit "fast": use "<count>\/<s\|m\|h>"/);
      const unknown = await tasklane(['control', 'rate-limit', 't.nope', '1/s', '-d', names.async, '-b', broker]);
      assert.match(unknown.stdout, /error: unknown task "t\.nope"/);

      const shutdown = await tasklane(['control', 'shutdown', '-d', names.solo, '-b', broker]);
      assert.equal(shutdown.stdout, `${names.solo}: shutting down (warm)\n`);
      // It may be gone before this line runs: its exit code is then already there.
      const code = workers[3].exitCode ?? (await once(workers[3], 'exit'))[0];
      assert.equal(code, 0, 'the worker exits 0, as on SIGTERM');
    } finally {
      for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exitCode === null ? once(w, 'exit') : undefined));
    }
  });
}

test('control pool grow waits, by default, for a threads worker whose new threads load slowly', async () => {
  const broker = `file://${join(dir, '.tasklane')}`;
  const worker = await startWorker(['-A', join(root, 'test/fixtures/worker/slow-threads.ts'), '-P', 'threads', '-c', '1', '-Q', 'slow', '-n', 'slow-threads', '-b', broker], { cwd: dir, env });
  try {
    const grow = await tasklane(['control', 'pool', 'grow', '1', '-d', 'slow-threads', '-b', broker]);
    assert.equal(grow.code, 0, grow.stderr);
    assert.equal(grow.stdout, 'slow-threads: pool threads grown to 2\n');
  } finally {
    worker.kill('SIGTERM');
    if (worker.exitCode === null) await once(worker, 'exit');
  }
});

test('control: a command it does not know, a bad count or nobody listening each get one clear line', async () => {
  const broker = `file://${mkdtempSync(join(tmpdir(), 'tasklane-control-empty-'))}`;
  for (const [args, error] of [
    [['control', 'restart'], /tasklane control needs one of ping, rate-limit <task> <rate>, pool grow <n>, pool shrink <n> or shutdown, got "restart"/],
    [['control', 'pool', 'grow', 'many'], /tasklane control pool needs grow or shrink and a whole number >= 1, e\.g\. tasklane control pool grow 2; got "grow many"/],
    [['control', 'rate-limit', 't.add'], /tasklane control rate-limit takes 2 argument\(s\): e\.g\. tasklane control rate-limit images\.resize 10\/s, got "t\.add"/],
    [['control', 'ping', '--timeout', '200ms'], /no worker answered within 200ms \(broker file:/],
  ] as const) {
    const { code, stderr } = await tasklane([...args, '-b', broker]);
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, error);
  }
});
