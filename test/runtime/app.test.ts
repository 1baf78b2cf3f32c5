// The task API on memory://: routing, countdown/eta/expires on the wire, inline call() with a
// context(), AsyncResult.get() errors, broker precedence, and typing (checked by `tsc -p .`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, context, TaskError, TimeoutError } from '../../runtime/src/index.ts';
import { createBroker } from '../../runtime/src/broker/index.ts';

const url = 'memory://app-test';
const app = createApp({ name: 'app-test', broker: url, routes: { 'images.*': 'cpu', 'http.fetch': 'io' } });
const resize = app.task('images.resize', async (path: string, width: number) => ({ out: `${path}@${width}` }));
const fetchPage = app.task('http.fetch', async (u: string) => u.length, { queue: 'net' });
const plain = app.task('app.plain', (n: number) => n * 2);
const who = app.task('app.who', () => {
  const ctx = context();
  return { id: ctx.id, task: ctx.task, retries: ctx.retries, aborted: ctx.signal.aborted };
});
const boom = app.task('app.boom', () => { throw new RangeError('bad pixel'); });

async function take(queue: string) {
  const broker = await app.broker();
  const [delivery] = await broker.fetch([queue], 1, { waitMs: 0 });
  assert.ok(delivery, `a message on queue ${queue}`);
  await broker.ack([delivery]);
  return delivery.message!;
}

test('queue precedence: applyAsync > task option > routes > default', async () => {
  await resize.delay('a.png', 200);
  assert.equal((await take('cpu')).task, 'images.resize');
  await fetchPage.delay('http://x');
  assert.equal((await take('net')).task, 'http.fetch', 'the task option beats the route');
  await resize.applyAsync(['a.png', 1], { queue: 'urgent' });
  assert.deepEqual((await take('urgent')).args, ['a.png', 1]);
  await plain.delay(1);
  assert.equal((await take('default')).task, 'app.plain');
});

test('countdown, eta, expires and priority travel on the message', async () => {
  await plain.applyAsync([1], { expires: '2h', priority: 5, queue: 'opts' });
  const sent = await take('opts');
  assert.equal(sent.expires, sent.createdAt + 7_200_000);
  assert.equal(sent.priority, 5);
  assert.equal(sent.eta, undefined);

  const r = await plain.applyAsync([2], { countdown: '1h', queue: 'later' });
  const broker = await app.broker();
  assert.deepEqual(await broker.fetch(['later'], 1, { waitMs: 0 }), [], 'not visible before its eta');
  assert.deepEqual(await broker.queueLengths(['later']), { later: 1 });
  assert.equal(await r.state(), 'PENDING');
  await plain.applyAsync([3], { eta: new Date(Date.now() + 3_600_000), queue: 'later' });
  assert.equal(await broker.purge(['later']), 2);
  await assert.rejects(plain.applyAsync([1], { eta: 'next tuesday' }), /invalid eta "next tuesday"/);
});

test('call() runs inline with a context and returns JSON', async () => {
  assert.deepEqual(await resize.call('b.png', 10), { out: 'b.png@10' });
  assert.equal(await plain.call(21), 42);
  const seen = await who.call();
  assert.equal(seen.task, 'app.who');
  assert.equal(seen.retries, 0);
  assert.equal(seen.aborted, false);
  await assert.rejects(boom.call(), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.equal(error.remote.name, 'RangeError');
    assert.match(error.message, /bad pixel/);
    assert.match(error.stack ?? '', /app\.test\.ts/);
    return true;
  });
});

test('get() returns the stored result, throws TaskError on failure and TimeoutError naming the id', async () => {
  const broker = await app.broker();
  const ok = await plain.delay(4);
  await broker.storeResult({ id: ok.id, task: 'app.plain', state: 'SUCCESS', result: 8, finishedAt: Date.now() }, 60_000);
  assert.equal(await ok.get({ timeout: '1s' }), 8);
  assert.equal(await ok.state(), 'SUCCESS');

  const bad = await boom.delay();
  setTimeout(() => void broker.storeResult({
    id: bad.id, task: 'app.boom', state: 'FAILURE', finishedAt: Date.now(),
    error: { name: 'RangeError', message: 'bad pixel', stack: 'RangeError: bad pixel\n    at worker.ts:1:1' },
  }, 60_000), 20);
  await assert.rejects(bad.get({ timeout: '5s' }), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.equal(error.taskId, bad.id);
    assert.match(error.stack ?? '', /at worker\.ts:1:1/);
    return true;
  });

  const never = await plain.delay(5);
  await assert.rejects(never.get({ timeout: 30 }), (error: unknown) => {
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, new RegExp(never.id));
    return true;
  });
  await broker.purge(['default']);
});

test('bad input gets a clear error', async () => {
  assert.throws(() => createApp({ name: '' }), /createApp needs a name/);
  assert.throws(() => app.task('images.resize', () => 1), /registered twice/);
  // @ts-expect-error a handler is required
  assert.throws(() => app.task('app.nohandler'), /handler must be a function/);
  await assert.rejects(plain.applyAsync([10n as unknown as number]), /not JSON/);
  await assert.rejects(plain.applyAsync([1], { priority: 'high' as unknown as number }), /priority of task "app\.plain" must be a number .*got "high"/);
  assert.throws(() => app.task('app.fast', () => 1, { rateLimit: 'fast' }), /task "app\.fast": invalid rateLimit "fast": use "<count>\/<s\|m\|h>"/);
  assert.throws(() => app.task('app.slow', () => 1, { timeLimit: 'forever' }), /task "app\.slow": option timeLimit: invalid duration "forever"/);
  assert.throws(() => app.task('app.again', () => 1, { retries: -1 }), /option retries must be a whole number >= 0/);
});

test('broker precedence: explicit > TASKLANE_BROKER > config > embedded file://.tasklane', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklane-app-'));
  writeFileSync(join(dir, 'tasklane.config.json'), JSON.stringify({ broker: 'memory://from-config', routes: { 'x.*': 'xq' } }));
  const saved = process.env.TASKLANE_BROKER;
  t.after(() => { if (saved === undefined) delete process.env.TASKLANE_BROKER; else process.env.TASKLANE_BROKER = saved; });
  delete process.env.TASKLANE_BROKER;

  const fromConfig = createApp({ name: 'p1', configPath: dir });
  assert.equal(fromConfig.brokerUrl(), 'memory://from-config');
  assert.equal(fromConfig.queueFor('x.y'), 'xq', 'routes come from the config');
  process.env.TASKLANE_BROKER = 'memory://from-env';
  assert.equal(createApp({ name: 'p2', configPath: dir }).brokerUrl(), 'memory://from-env');
  assert.equal(createApp({ name: 'p3', configPath: dir, broker: 'memory://explicit' }).brokerUrl(), 'memory://explicit');
  delete process.env.TASKLANE_BROKER;
  const empty = mkdtempSync(join(tmpdir(), 'tasklane-noconf-'));
  writeFileSync(join(empty, 'tasklane.config.json'), '{}');
  assert.equal(createApp({ name: 'p4', configPath: empty }).brokerUrl(), pathToFileURL(join(empty, '.tasklane')).href);
});

// Typing: delay's arguments follow the handler, get() resolves its awaited return type.
async function typing(): Promise<void> {
  const r = await resize.delay('a.png', 200);
  const v: { out: string } = await r.get();
  // @ts-expect-error width must be a number
  await resize.delay('a.png', '200');
  // @ts-expect-error missing argument
  await resize.applyAsync(['a.png']);
  // @ts-expect-error the result is an object, not a number
  const n: number = await resize.call('a.png', 1);
  const m: number = await plain.call(1);
  void v; void n; void m;
}
void typing;

test.after(async () => {
  await app.close();
  await createBroker(url).close();
});
