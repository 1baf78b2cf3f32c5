// Redis specifics on a real redis-server: a consumer process that disappears, passwords kept out
// of URLs and errors, an unreachable server, the URL parser. This file is also the child program
// (BROKER_ROLE=holder: takes messages and holds them until killed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createBroker, redact, type Broker } from '../../runtime/src/broker/index.ts';
import type { TaskMessage } from '../../runtime/src/protocol.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

const message = (id: string, queue = 'q'): TaskMessage => ({ id, task: 'demo.noop', args: [], queue, retries: 0, createdAt: Date.now() });

async function hold(url: string, prefix: string, count: number): Promise<void> {
  const broker = createBroker(url, { prefix, visibilityTimeoutMs: 10 * 60_000, consumerTimeoutMs: 1000 });
  const held = await broker.fetch(['q'], count, { waitMs: 30_000 });
  process.stdout.write(held.map((d) => `held ${d.message!.id}\n`).join(''));
  setInterval(() => undefined, 60_000);
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

if (process.env.BROKER_ROLE === 'holder') {
  hold(process.argv[2], process.argv[3], Number(process.argv[4])).catch((error) => { console.error(error); process.exit(1); });
} else {
  describe('redis broker', { timeout: 120_000 }, () => {
    let redis: RedisServer;
    const open: Broker[] = [];
    const broker = (url: string, options = {}) => {
      const b = createBroker(url, options);
      open.push(b);
      return b;
    };
    before(async () => { redis = await startRedis(['--requirepass', 's3cret-pw']); });
    after(async () => {
      await Promise.all(open.map((b) => b.close()));
      await redis.stop();
    });
    const authed = () => `redis://:s3cret-pw@127.0.0.1:${redis.port}`;

    test('what a consumer process held when it was SIGKILLed goes to another (XCLAIM of a dead consumer)', async () => {
      const prefix = 'disappear';
      const producer = broker(authed(), { prefix });
      for (let i = 0; i < 30; i++) await producer.publish(message(`m-${i}`));
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=tasklane-source', process.argv[1], authed(), prefix, '10'], {
        env: { ...process.env, BROKER_ROLE: 'holder' }, stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      while (out.split('\n').filter(Boolean).length < 10) await new Promise((r) => setTimeout(r, 50));
      const held = out.trim().split('\n').map((l) => l.split(' ')[1]);
      child.kill('SIGKILL');
      await exited;

      // Visibility timeout 10 minutes: only the expired liveness key (1 s) brings them back now.
      const survivor = broker(authed(), { prefix, visibilityTimeoutMs: 10 * 60_000, consumerTimeoutMs: 1000 });
      const seen = new Map<string, number>();
      const deadline = Date.now() + 60_000;
      while (seen.size < 30 && Date.now() < deadline) {
        const batch = await survivor.fetch(['q'], 50, { waitMs: 1000 });
        for (const d of batch) seen.set(d.message!.id, d.deliveryCount);
        await survivor.ack(batch);
      }
      assert.equal(seen.size, 30);
      for (const id of held) assert.equal(seen.get(id), 2, `${id} redelivered with its delivery count`);
      assert.equal([...seen.values()].filter((c) => c === 1).length, 20);
      assert.deepEqual(await survivor.queueLengths(['q']), { q: 0 });
    });

    test('a blocking fetch over several queues wakes for any of them and returns at most max', async () => {
      const prefix = 'surplus';
      const consumer = broker(authed(), { prefix });
      await consumer.fetch(['a', 'b'], 1, { waitMs: 0 }); // creates both groups
      const waiting = consumer.fetch(['a', 'b'], 1, { waitMs: 30_000 });
      await new Promise((r) => setTimeout(r, 300));
      // One transaction fills both streams at once while the read is blocked.
      const raw = new Redis(authed());
      await raw.multi()
        .xadd(`${prefix}:q:b`, '*', 'm', JSON.stringify(message('x', 'b')))
        .xadd(`${prefix}:q:a`, '*', 'm', JSON.stringify(message('y', 'a')))
        .exec();
      await raw.quit();
      const got = await waiting;
      assert.equal(got.length, 1);
      const rest = await consumer.fetch(['a', 'b'], 5, { waitMs: 0 });
      assert.deepEqual([...got, ...rest].map((d) => [d.message!.id, d.deliveryCount]).sort(), [['x', 1], ['y', 1]]);
    });

    test('the password never shows: displayUrl and errors are redacted', async () => {
      const b = broker(authed());
      assert.equal(b.displayUrl, `redis://:***@127.0.0.1:${redis.port}`);
      await b.publish(message('p1'));
      const wrong = broker(`redis://:wrong-pw-123@127.0.0.1:${redis.port}`);
      await assert.rejects(wrong.connect(), (error: Error) => {
        assert.match(error.message, /Redis broker at redis:\/\/:\*\*\*@127\.0\.0\.1/);
        assert.doesNotMatch(error.message, /wrong-pw-123/);
        return true;
      });
      const user = broker(`redis://default:s3cret-pw@127.0.0.1:${redis.port}/0`);
      assert.equal(user.displayUrl, `redis://default:***@127.0.0.1:${redis.port}/0`);
    });

    test('an unreachable server: one clear error naming the URL, no reconnect loop', async () => {
      const port = await closedPort();
      const b = broker(`redis://:pw-unused@127.0.0.1:${port}`, { connectTimeoutMs: 2000 });
      await assert.rejects(b.publish(message('never')), (error: Error) => {
        assert.match(error.message, new RegExp(`cannot reach the Redis broker at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
        assert.match(error.message, /ECONNREFUSED/);
        assert.doesNotMatch(error.message, /pw-unused/);
        return true;
      });
    });
  });

  describe('broker URLs', () => {
    test('unsupported or malformed URLs say which schemes work', () => {
      for (const url of ['amqp://localhost', 'localhost:6379', '', 'file://']) {
        assert.throws(() => createBroker(url), (error: Error) => {
          assert.match(error.message, /Supported: file:\/\/<dir>, memory:\/\/\[name\], redis:\/\//);
          return true;
        }, url);
      }
    });

    test('options come from the query string and are checked by name', () => {
      assert.throws(() => createBroker('redis://127.0.0.1?visibiltyTimeout=1s'), /unknown option "visibiltyTimeout" \(known: visibilityTimeout/);
      assert.throws(() => createBroker('memory://x?visibilityTimeout=soon'), /option visibilityTimeout: invalid duration "soon"/);
      assert.throws(() => createBroker('memory://x', { visibilityTimeoutMs: -5 }), /visibilityTimeoutMs must be a positive number/);
      assert.doesNotThrow(() => createBroker('memory://x?visibilityTimeout=1s', { visibilityTimeoutMs: undefined }));
      assert.equal(createBroker('redis://u:p@h:1/2?visibilityTimeout=30s').displayUrl, 'redis://u:***@h:1/2');
      assert.equal(redact('redis://:p@ss:w0rd@h:1'), 'redis://:***@h:1');
      assert.equal(redact('rediss://token-only@h'), 'rediss://***@h');
      assert.equal(createBroker('rediss://h').displayUrl, 'rediss://h');
      assert.equal(createBroker('memory://').displayUrl, 'memory://default');
      assert.equal(createBroker('file:///var/tmp/tl').displayUrl, 'file:///var/tmp/tl');
      assert.equal(createBroker('file://.tasklane').displayUrl, `file://${process.cwd()}/.tasklane`);
    });
  });
}
