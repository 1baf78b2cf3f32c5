// Nothing stuck: on every broker, through a real worker, a message that cannot run is dead-lettered
// with its reason AND its caller is told (a FAILURE result, so get() ends at once), and the worker
// serves the next good task. Poison is written straight into each broker's storage (the file
// broker's queue folder, the Redis stream, the memory store), bypassing the producer's checks.
// Producers are refused messages over the broker's maxPayload with one error saying what to do.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createBroker, type Broker } from '../../runtime/src/broker/index.ts';
import { Logger } from '../../runtime/src/logger.ts';
import type { TaskMessage } from '../../runtime/src/protocol.ts';
import { AsyncResult, TaskError } from '../../runtime/src/result.ts';
import { createWorker, type Worker } from '../../runtime/src/worker/worker.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

const appPath = join(__dirname, '../fixtures/worker/tasks.ts');
const queue = 'poison';
const quiet = new Logger('poison', 'error', () => {});
const scratch = mkdtempSync(join(tmpdir(), 'tasklane-poison-'));
let redis: RedisServer;
before(async () => { redis = await startRedis(); });
after(async () => {
  await redis.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Kind {
  name: string;
  /** The broker URL of one test. */
  url(test: string): string;
  /** Puts a payload into the queue's storage directly, as a broken or foreign producer would. */
  inject(url: string, payload: Buffer): Promise<void>;
}

const kinds: Kind[] = [
  {
    name: 'memory',
    url: (test) => `memory://poison-${test}`,
    // The store lives in this process; publishRaw is its door, and it does not check.
    inject: (url, payload) => createBroker(url).publishRaw(queue, payload.toString('utf8')),
  },
  {
    name: 'file',
    url: (test) => `file://${join(scratch, test)}`,
    // The store takes any string: publishRaw does not check, the worker screens what it fetches.
    async inject(url, payload) {
      const broker = createBroker(url);
      await broker.publishRaw(queue, payload.toString('utf8'));
      await broker.close();
    },
  },
  {
    name: 'redis',
    url: (test) => `${redis.url}/0?prefix=${test}`,
    async inject(url, payload) {
      const client = new Redis(redis.url);
      try {
        await client.xadd(`${new URL(url).searchParams.get('prefix')}:q:${queue}`, '*', 'm', payload);
      } finally {
        client.disconnect();
      }
    },
  },
];

function message(id: string, args: unknown[], task = 't.add'): TaskMessage {
  return { id, task, args, queue, retries: 0, createdAt: Date.now() };
}

/** A worker (async pool, in this process) on `url`, and a producer beside it. */
async function serve(url: string): Promise<{ producer: Broker; worker: Worker; stop: () => Promise<void> }> {
  const producer = createBroker(url);
  await producer.connect();
  const worker = createWorker({ broker: createBroker(url), ownsBroker: true, pool: 'async', queues: [queue], app: appPath, logger: quiet, fetchWaitMs: 100 });
  await worker.start();
  return { producer, worker, stop: async () => { await worker.stop(); await producer.close(); } };
}

async function rejected(producer: Broker, id: string, task: string): Promise<TaskError> {
  const error = await new AsyncResult(id, task, async () => producer).get({ timeout: '60s' }).then(
    (value) => assert.fail(`task ${id} ran: ${JSON.stringify(value)}`),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof TaskError, String(error));
  assert.equal(error.state, 'FAILURE');
  assert.match(error.message, /moved to the dead-letter queue without running/);
  return error;
}

for (const kind of kinds) {
  describe(`poison on ${kind.name}`, { timeout: 120_000 }, () => {
    it('random bytes, truncated JSON, a 10 MB message and deeply nested JSON are dead-lettered with their reasons; their callers are told; the next good task runs', async () => {
      const url = kind.url('raw');
      const { producer, worker, stop } = await serve(url);
      try {
        const truncated = JSON.stringify(message('truncated-1', [1, 2]));
        const deep = `{"id":"deep-1","task":"t.add","args":[${'['.repeat(10_000)}${']'.repeat(10_000)}],"queue":"${queue}","retries":0,"createdAt":1}`;
        const big = JSON.stringify(message('big-1', ['x'.repeat(10 * 1024 * 1024)]));
        for (const payload of [randomBytes(512), truncated.slice(0, truncated.length / 2), big, deep, `${'['.repeat(10_000)}${']'.repeat(10_000)}`]) {
          await kind.inject(url, Buffer.from(payload));
        }
        await producer.publish(message('good-1', [20, 22]));
        assert.equal(await new AsyncResult('good-1', 't.add', async () => producer).get({ timeout: '60s' }), 42, 'the worker still serves');

        const truncatedError = await rejected(producer, 'truncated-1', 't.add');
        assert.equal(truncatedError.remote.name, 'UndecodableMessage');
        assert.match(truncatedError.message, /message on queue "poison" is undecodable: not JSON/);
        const bigError = await rejected(producer, 'big-1', 't.add');
        assert.equal(bigError.remote.name, 'PayloadTooLarge');
        assert.match(bigError.message, /is too large: 10 MiB \(\d+ bytes\), over this broker's maxPayload of 1 MiB \(1048576 bytes\) \(raise maxPayload/);
        const deepError = await rejected(producer, 'deep-1', 't.add');
        assert.equal(deepError.remote.name, 'PayloadTooDeep');
        assert.match(deepError.message, /is nested too deeply: more than 128 levels/);

        let letters = await producer.deadLetters();
        for (let i = 0; letters.length < 5 && i < 200; i++) letters = await new Promise((r) => setTimeout(r, 20)).then(() => producer.deadLetters());
        const reasons = letters.map((l) => l.reason).sort();
        assert.equal(reasons.length, 5, reasons.join('\n'));
        assert.equal(reasons.filter((r) => /^message on queue "poison" is undecodable: not JSON \(/.test(r)).length, 2, reasons.join('\n'));
        assert.ok(reasons.some((r) => /is undecodable: JSON, but not a task message \(not an object\)/.test(r)), reasons.join('\n'));
        assert.ok(reasons.some((r) => /is too large: 10 MiB/.test(r)));
        assert.ok(reasons.some((r) => /is nested too deeply/.test(r)));
        assert.equal(worker.info().failed, 5);
        assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 });
      } finally {
        await stop();
      }
    });

    it('an unknown task ends its caller\'s get() with the reason', async () => {
      const url = kind.url('unknown');
      const { producer, stop } = await serve(url);
      try {
        await producer.publish(message('unknown-1', [1], 'no.such'));
        const error = await rejected(producer, 'unknown-1', 'no.such');
        assert.equal(error.remote.name, 'UnknownTask');
        assert.match(error.message, /task no\.such\[unknown-1\] failed: UnknownTask: unknown task "no\.such" \(registered here: .*t\.add/);
        await producer.publish(message('good-2', [1, 1]));
        assert.equal(await new AsyncResult('good-2', 't.add', async () => producer).get({ timeout: '60s' }), 2);
      } finally {
        await stop();
      }
    });

    it('maxPayload: a producer is refused a larger message with the size, the limit and how to raise it; a worker with a lower limit dead-letters it', async () => {
      const url = kind.url('limit');
      const { producer, stop } = await serve(url);
      const roomy = createBroker(`${url}${url.includes('?') ? '&' : '?'}maxPayload=4mb`);
      const tight = createBroker(url, { maxPayloadBytes: 64 * 1024 });
      try {
        assert.throws(() => createBroker(`${url}${url.includes('?') ? '&' : '?'}maxPayload=lots`), /option maxPayload: "lots" is not a size: use bytes, or a number with kb, mb or gb, e\.g\. maxPayload=16mb/);
        await Promise.all([roomy.connect(), tight.connect()]);
        const large = message('large-1', ['y'.repeat(100_000)]);
        await assert.rejects(tight.publish(large), (error: Error) => {
          assert.equal(error.name, 'PayloadTooLargeError');
          assert.match(error.message, /^task t\.add\[large-1\]: its message is 97\.8 KiB \(100\d{3} bytes\), over the broker's limit of 64 KiB \(65536 bytes\)\. Pass a reference \(a path, URL or key\) instead of the data, or raise the limit for producers and workers alike with maxPayload in the broker URL, e\.g\. \S+\?maxPayload=1mb$/);
          return true;
        });
        assert.deepEqual(await producer.queueLengths([queue]), { [queue]: 0 }, 'nothing was sent');

        // Sent by a producer allowed 4 MiB, found by a worker allowed 1 MiB.
        await roomy.publish(message('large-2', ['z'.repeat(2 * 1024 * 1024)]));
        const error = await rejected(producer, 'large-2', 't.add');
        assert.equal(error.remote.name, 'PayloadTooLarge');
      } finally {
        await Promise.all([roomy.close(), tight.close()]);
        await stop();
      }
    });
  });
}
