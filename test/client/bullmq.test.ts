// The pure parts of BullMQ in the editor: which Redis a job goes to, the job data as one JSON value,
// the suggestions document, and how rows and lenses name and offer actions for a Worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJobData, redisTarget, suggestionsDocument } from '../../client/src/bullmq.ts';
import { concurrencyNow, distinctEvidence, taskActions, taskLabel } from '../../server/src/taskFacts.ts';
import type { BullmqWorker, TaskAnalysis } from '../../analyzer/src/types.ts';

function worker(binding: string | undefined, line: number, bullmq: Partial<BullmqWorker> = {}, extra: Partial<TaskAnalysis> = {}): TaskAnalysis {
  const file = '/ws/src/workers.ts';
  return {
    name: 'backupQueue', framework: 'bullmq', ...(binding && { binding }), file, line,
    range: { file, startLine: line, startColumn: 0, endLine: line, endColumn: 1 },
    kind: 'io', blocking: false, pool: 'async', concurrency: 100, queue: 'backupQueue', routedQueue: 'backupQueue',
    summary: 'suggest: inline × 100 — I/O-bound · now inline, BullMQ default 1', breakdown: 'mostly waits: network', evidence: [], problems: [],
    bullmq: { queue: 'backupQueue', sandboxed: false, useWorkerThreads: false, startsWithFile: true, ...bullmq },
    ...extra,
  };
}

test('the Worker\'s literal connection wins; a flagged password is needed until stored, and never shown', () => {
  const task = worker('firstWorker', 6, { connection: { host: '10.0.0.5', port: 6390, db: 2, password: true } });
  const first = redisTarget(task, 'redis://elsewhere:1/0', undefined);
  assert.ok(!('missing' in first));
  assert.deepEqual(first.options, { host: '10.0.0.5', port: 6390, db: 2 });
  assert.equal(first.display, 'redis://10.0.0.5:6390/2');
  assert.equal(first.needsPassword, true);
  const second = redisTarget(task, '', 'pw');
  assert.ok(!('missing' in second));
  assert.equal(second.options.password, 'pw');
  assert.equal(second.needsPassword, false);
  assert.ok(!second.display.includes('pw'));
});

test('without a readable connection: the setting, else the reason to ask; a bad setting says what to write', () => {
  const task = worker('secondWorker', 9, { connectionUnread: 'host: `process.env.REDIS_HOST` is computed when the program runs' });
  assert.deepEqual(redisTarget(task, '', undefined), { missing: 'the Worker\'s connection cannot be read: host: `process.env.REDIS_HOST` is computed when the program runs' });
  const viaSetting = redisTarget(task, 'rediss://user@cache:6380/3', undefined);
  assert.ok(!('missing' in viaSetting));
  assert.deepEqual(viaSetting.options, { host: 'cache', port: 6380, db: 3, username: 'user', tls: {} });
  assert.equal(viaSetting.needsPassword, false);
  assert.throws(() => redisTarget(task, 'http://cache', undefined), /^Error: tasklane\.bullmq\.redisUrl is not a Redis URL: write it as redis:\/\/host:port\/db/);
});

test('job data is one JSON value; bad input says what to write', () => {
  assert.deepEqual(parseJobData(' {"id": 7} '), { ok: true, data: { id: 7 } });
  assert.deepEqual(parseJobData('[1, 2]'), { ok: true, data: [1, 2] });
  assert.deepEqual(parseJobData('"x"'), { ok: true, data: 'x' });
  const empty = parseJobData('');
  assert.ok(!empty.ok && /one JSON value, e\.g\. \{"id": 42\}/.test(empty.error));
  const broken = parseJobData("{id: 'x'}");
  assert.ok(!broken.ok && /^Not valid JSON .*double quotes/.test(broken.error));
});

test('rows name the binding and the file; concurrency is what the code sets, or BullMQ default 1', () => {
  assert.equal(taskLabel(worker('firstWorker', 6)), 'firstWorker · workers.ts:6');
  assert.equal(taskLabel(worker(undefined, 12)), "Worker 'backupQueue' · workers.ts:12");
  assert.equal(concurrencyNow(worker('a', 1)), 'BullMQ default 1');
  assert.equal(concurrencyNow(worker('a', 1, { concurrency: 100 })), 'concurrency 100');
  assert.equal(concurrencyNow(worker('a', 1, { concurrency: 'opts.n' })), 'concurrency opts.n');
});

test('Run and Debug are offered where they can work, else say why', () => {
  assert.deepEqual(taskActions(worker('firstWorker', 6)), { run: true, debug: true });
  const inFunction = taskActions(worker('startWorkers', 3, { startsWithFile: false }));
  assert.equal(inFunction.run, true);
  assert.match(String(inFunction.debug), /^the Worker is created inside `startWorkers`, so running workers\.ts does not start it/);
  const computed = taskActions(worker('make', 3, { queue: undefined }, { name: 'name' }));
  assert.match(String(computed.run), /^the queue name `name` is computed when the program runs/);
  assert.equal(computed.debug, computed.run);
});

test('evidence: each fact once, with every place it was seen', () => {
  const e = (line: number, message: string) => ({ kind: 'io' as const, message, file: '/ws/a.ts', line });
  const facts = distinctEvidence([e(3, 'waits on find() in @acme/server — source not followed'), e(9, 'fetch() waits on the network'), e(12, 'waits on find() in @acme/server — source not followed')]);
  assert.deepEqual(facts.map((f) => [f.message, f.places.map((p) => p.line)]), [
    ['waits on find() in @acme/server — source not followed', [3, 12]],
    ['fetch() waits on the network', [9]],
  ]);
});

test('the suggestions document: per Worker what it does today, the suggestion and why; none without Workers', () => {
  const text = suggestionsDocument([
    worker('firstWorker', 6, { concurrency: 100 }, { evidence: [{ kind: 'io', message: 'fetch() waits on the network', file: '/ws/src/workers.ts', line: 7 }] }),
    worker('reports', 20, { sandboxed: true }, { kind: 'cpu', blocking: true, pool: 'prefork', concurrency: 2, summary: 'suggest: sandboxed × 2 — CPU-bound · blocking · now sandboxed, BullMQ default 1' }),
  ], '/ws');
  assert.match(text, /^# Queue workers \(BullMQ, Bull, NestJS\): suggestions from Tasklane\n/);
  assert.match(text, /## firstWorker · workers\.ts:6 — queue `backupQueue`\n\n- file: src\/workers\.ts:6\n- today: inline, concurrency 100\n- suggested: \*\*inline, concurrency 100\*\*\n- why: I\/O-bound\n  - fetch\(\) waits on the network\n/);
  assert.match(text, /## reports · workers\.ts:20 .*\n\n.*\n- today: sandboxed \(child processes\), BullMQ default 1\n- suggested: \*\*sandboxed processor file, concurrency 2\*\*\n- why: CPU-bound · blocking \(it blocks the event loop while it runs\)/);
  assert.throws(() => suggestionsDocument([], '/ws'), /found no BullMQ, Bull or NestJS worker/);
});

test('a Bull or NestJS processor is not run through BullMQ: both actions say why, and it is in the suggestions document', () => {
  for (const framework of ['bull', 'nestjs'] as const) {
    const task = worker(undefined, 3, {}, { framework, bullmq: undefined });
    const actions = taskActions(task);
    assert.match(String(actions.run), new RegExp(`this is a (Bull|NestJS) processor: run it from your application`));
    assert.equal(actions.debug, actions.run);
    assert.match(suggestionsDocument([task], '/ws'), /## Worker 'backupQueue' · workers\.ts:3 — queue `backupQueue`/);
  }
});
