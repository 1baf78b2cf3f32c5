// Autoscale (Celery's --autoscale max,min): real worker processes of the prefork, threads and async
// pools on the embedded broker and on a real redis-server grow with a backlog (more children, more
// threads, a larger limit) and shrink back to min once idle, as `inspect stats` and the heartbeat
// show; the decision rules alone; and every way to get the options wrong answered with one line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker } from '../../runtime/src/broker/index.ts';
import type { Broker } from '../../runtime/src/broker/broker.ts';
import { sendTask } from '../../runtime/src/contract.ts';
import type { WorkerInfo } from '../../runtime/src/protocol.ts';
import { AUTOSCALE_GROW_AFTER, Autoscaler, autoscaleRange, parseAutoscaleFlag } from '../../runtime/src/worker/autoscale.ts';
import { startWorker } from '../../runtime/src/worker/start.ts';
import { startWorkerProcess as startWorkerCli, tasklaneCli } from '../helpers/cli.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

const root = join(__dirname, '../..');
const app = join(root, 'test/fixtures/worker/tasks.ts');
const dir = mkdtempSync(join(tmpdir(), 'tasklane-autoscale-'));
const config = join(dir, 'tasklane.config.json');
const env = { ...process.env, TASKLANE_BROKER: '', TASKLANE_CONFIG: '' };
let redis: RedisServer;

// The config's max (2) is overridden by the flag (3); its short keepalive stays, so idle pools shrink within the test.
writeFileSync(config, JSON.stringify({
  app,
  workers: Object.fromEntries(['prefork', 'threads', 'async'].map((pool) => [pool, { pool, autoscale: { max: 2, keepalive: '1s' } }])),
}));

before(async () => { redis = await startRedis(); });
after(async () => { await redis?.stop(); });

const tasklane = (args: string[]) => tasklaneCli(args, { cwd: dir, env });
const startWorkerProcess = (args: string[]) => startWorkerCli(args, { cwd: dir, env });

/** Polls the workers' heartbeat snapshots (what `inspect stats` prints) until `probe` holds for one. */
async function until(broker: Broker, name: string, probe: (info: WorkerInfo) => boolean, what: string): Promise<WorkerInfo> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const info = (await broker.workers()).find((w) => w.name === name);
    if (info && probe(info)) return info;
    if (Date.now() > deadline) throw new Error(`${name}: timed out waiting for ${what}; last report ${JSON.stringify(info?.poolStats)} x ${info?.concurrency}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const kind of ['file', 'redis'] as const) {
  test(`${kind}: a backlog grows prefork (children), threads (threads) and async (its limit) to max; idle shrinks them to min`, { timeout: 300_000 }, async () => {
    const url = kind === 'file' ? `file://${join(dir, '.tasklane')}` : redis.url;
    const pools = ['prefork', 'threads', 'async'] as const;
    const name = (pool: string) => `${kind}-auto-${pool}`;
    const workers = await Promise.all(pools.map((pool) =>
      startWorkerProcess([pool, '--config', config, '--autoscale', '3,1', '-Q', name(pool), '-n', name(pool), '-b', url])));
    const producer = createBroker(url);
    await producer.connect();
    try {
      for (const pool of pools) {
        const info = await until(producer, name(pool), () => true, 'its first report');
        assert.equal(info.concurrency, 1, 'it starts at min');
        assert.deepEqual(info.autoscale, { min: 1, max: 3 });
      }
      // Five tasks that run until revoked: three run once the pool is at max, two stay reserved.
      const sent = await Promise.all(pools.flatMap((pool) => Array.from({ length: 5 }, () =>
        sendTask(producer, 't.sleep', [600_000], { apply: { queue: name(pool) } }).then(({ result }) => result))));
      const grown = new Map<string, WorkerInfo>();
      for (const pool of pools) {
        grown.set(pool, await until(producer, name(pool), (w) => w.concurrency === 3 && w.active.length === 3 && (pool !== 'prefork' || w.poolStats?.processes?.length === 3), 'the pool to grow to 3'));
      }
      assert.equal(new Set(grown.get('prefork')!.poolStats!.processes).size, 3, 'three distinct child processes');
      assert.equal(grown.get('threads')!.poolStats!.threads!.length, 3, 'three threads');
      assert.equal(grown.get('async')!.poolStats!.size, 3, 'a limit of three');
      const text = await tasklane(['inspect', 'stats', '-b', url]);
      assert.match(text.stdout, new RegExp(`^${name('prefork')}: pool prefork x 3 \\(autoscale 1-3\\), .*\\n  pool: size 3, processes \\d+ \\d+ \\d+,`, 'm'));
      assert.match(text.stdout, new RegExp(`^${name('async')}: pool async x 3 \\(autoscale 1-3\\), `, 'm'));

      // No more work: the pools go back to min once the keepalive has passed.
      await Promise.all(sent.map((result) => result.revoke()));
      for (const pool of pools) {
        const idle = await until(producer, name(pool), (w) => w.concurrency === 1 && w.active.length === 0 && (pool !== 'prefork' || w.poolStats?.processes?.length === 1), 'the pool to shrink to 1');
        if (pool === 'threads') assert.equal(idle.poolStats?.threads?.length, 1);
      }
      for (const result of sent) assert.equal((await result.result())?.state, 'REVOKED');
    } finally {
      await producer.close();
      for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exitCode === null ? once(w, 'exit') : undefined));
    }
  });
}

test('the autoscaler grows after a backlog seen at consecutive looks, shrinks after a keepalive of under-use, and stays within min..max', () => {
  const scaler = new Autoscaler(autoscaleRange('threads', { max: 8, min: 2, keepalive: '10s' }));
  for (let look = 1; look < AUTOSCALE_GROW_AFTER; look++) assert.equal(scaler.decide(2, 5, look * 1000), undefined, 'one look is not a backlog');
  assert.equal(scaler.decide(2, 5, 3000), 5, 'grows to the demand');
  assert.equal(scaler.decide(5, 4, 4000), undefined, 'under-use starts its keepalive');
  for (let look = 1; look < AUTOSCALE_GROW_AFTER; look++) assert.equal(scaler.decide(5, 20, 4000 + look * 1000), undefined, 'a backlog ends the under-use');
  assert.equal(scaler.decide(5, 20, 9000), 8, 'never past max');
  assert.equal(scaler.decide(8, 20, 10_000), undefined, 'at max it stays');
  assert.equal(scaler.decide(8, 0, 11_000), undefined);
  assert.equal(scaler.decide(8, 0, 20_999), undefined, 'not before the keepalive');
  assert.equal(scaler.decide(8, 0, 21_000), 2, 'never below min');
  assert.equal(scaler.decide(2, 0, 60_000), undefined, 'at min it stays');
});

test('autoscale options that cannot work get one clear error: flag, config, startWorker', async () => {
  assert.deepEqual(parseAutoscaleFlag('10,3'), { max: 10, min: 3 });
  assert.deepEqual(parseAutoscaleFlag('4'), { max: 4 });
  for (const [args, error] of [
    [['--autoscale', '2,8'], /autoscale: min 8 is more than max 2 \(Celery's order is max first: --autoscale 8,2\)/],
    [['--autoscale', 'many'], /--autoscale takes max,min \(whole numbers, max first as in Celery: --autoscale 8,2\), got "many"/],
    [['--autoscale', '0,0'], /autoscale\.max must be a whole number >= 1, got 0/],
    [['--autoscale', '4,1', '-P', 'solo'], /the solo pool runs one task at a time: it cannot autoscale/],
    [['--autoscale', '4,1', '-c', '2'], /pass -c or --autoscale, not both/],
  ] as const) {
    const { code, stderr } = await tasklane(['worker', '-A', app, '-P', 'async', ...args, '-b', 'memory://autoscale']);
    assert.equal(code, 1, stderr);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, error);
  }
  const bad = join(mkdtempSync(join(tmpdir(), 'tasklane-autoscale-bad-')), 'tasklane.config.json');
  writeFileSync(bad, JSON.stringify({ app, workers: { w: { pool: 'async', autoscale: { max: 'eight' } } } }));
  const config = await tasklane(['worker', 'w', '--config', bad, '-b', 'memory://autoscale']);
  assert.match(config.stderr, /workers\.w\.autoscale\.max must be integer/);
  writeFileSync(bad, JSON.stringify({ app, workers: { w: { pool: 'async', concurrency: 4, autoscale: { max: 8 } } } }));
  const both = await tasklane(['worker', 'w', '--config', bad, '-b', 'memory://autoscale']);
  assert.match(both.stderr, /workers\.w has both concurrency and autoscale: keep one/);
  await assert.rejects(startWorker({ pool: 'async', autoscale: { max: 4 }, concurrency: 2, broker: 'memory://autoscale', log: () => {} }), /pass concurrency or autoscale, not both/);
  await assert.rejects(startWorker({ pool: 'async', autoscale: { max: 4, keepalive: 'soon' }, broker: 'memory://autoscale', log: () => {} }), /autoscale\.keepalive: invalid duration "soon"/);
});
