// What the editor reads of a BullMQ Worker to run it and name it: the binding that holds it, the
// queue, concurrency as written (absent = BullMQ's default), the literal connection (never a
// password's value), whether running its file starts it; and the lens leading with the suggestion.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { createAnalysisService } from '@tasklane/analyzer';
import { tempWorkspace } from './analysis-helpers.ts';

const ws = tempWorkspace({
  'src/workers.ts': [
    "import { Worker } from 'bullmq';",
    "import IORedis from 'ioredis';",
    "const connection = { host: '127.0.0.1', port: 6390, password: 's3cret', maxRetriesPerRequest: null };",
    "export const firstWorker = new Worker('backupQueue', async (job) => { await fetch(job.data.url); }, { connection, concurrency: 100 });",
    "export const secondWorker = new Worker('backupQueue', async (job) => { await fetch(job.data.url); }, { connection: { host: process.env.REDIS_HOST } });",
    'export class Backups {',
    "  worker = new Worker('backupQueue', async (job) => { await fetch(job.data.url); }, { connection: new IORedis('redis://:hunter2@10.0.0.1:6379/2') });",
    '}',
    'export function startWorkers(name: string) {',
    "  return new Worker(name, async (job) => { await fetch(job.data.url); });",
    '}',
    '',
  ].join('\n'),
});
after(() => ws.remove());
const tasks = createAnalysisService({ root: ws.root, types: false }).analyzeAll();
const byBinding = (binding: string) => {
  const task = tasks.find((t) => t.binding === binding);
  assert.ok(task, `${binding} in ${tasks.map((t) => t.binding).join(', ')}`);
  return task;
};

test('each Worker is named by what holds it', () => {
  assert.deepEqual(tasks.map((t) => t.binding), ['firstWorker', 'secondWorker', 'Backups.worker', 'startWorkers']);
});

test('a literal connection through a constant: address read, password only flagged', () => {
  const { bullmq } = byBinding('firstWorker');
  assert.deepEqual(bullmq, {
    queue: 'backupQueue', concurrency: 100, sandboxed: false, useWorkerThreads: false, startsWithFile: true,
    connection: { host: '127.0.0.1', port: 6390, password: true },
  });
  assert.ok(!JSON.stringify(tasks).includes('s3cret'), 'the password never leaves the analysis');
});

test('a connection computed at run time is unread, with the reason; no concurrency means BullMQ default', () => {
  const { bullmq, summary } = byBinding('secondWorker');
  assert.equal(bullmq?.connection, undefined);
  assert.match(bullmq!.connectionUnread!, /^host: `process\.env\.REDIS_HOST` is computed when the program runs$/);
  assert.equal(bullmq?.concurrency, undefined);
  assert.match(summary, /^suggest: inline × \d+ — I\/O-bound · now inline, BullMQ default 1$/);
  assert.match(byBinding('firstWorker').summary, /· now inline, concurrency 100$/);
});

test('an ioredis instance built from a URL (its password only flagged); a class field and a function do not start with their file', () => {
  const field = byBinding('Backups.worker').bullmq!;
  assert.deepEqual(field.connection, { url: 'redis://10.0.0.1:6379/2', password: true });
  assert.ok(!JSON.stringify(tasks).includes('hunter2'));
  assert.equal(field.startsWithFile, false);
  const made = byBinding('startWorkers').bullmq!;
  assert.equal(made.queue, undefined, 'the queue is a parameter');
  assert.equal(made.startsWithFile, false);
  assert.equal(made.connection, undefined);
});
