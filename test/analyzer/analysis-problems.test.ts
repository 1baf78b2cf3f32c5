// Problems from tasklane.config.json: where each task is routed, which worker serves that queue,
// and whether its pool fits; config errors pointed at their field; BullMQ in BullMQ's words.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import type { Problem } from '../../analyzer/src/types.ts';
import { tempWorkspace } from './analysis-helpers.ts';

const CONFIG = JSON.stringify({
  routes: { 'images.*': 'cpu', 'http.*': 'io' },
  workers: {
    cpu: { pool: 'threads', concurrency: 2, queues: ['cpu'] },
    io: { pool: 'async', concurrency: 500, queues: ['io', 'default'] },
  },
}, null, 2);

const ws = tempWorkspace({
  'tasklane.config.json': CONFIG,
  'src/tasks.ts': [
    `import { createApp } from 'tasklane';`,
    `import { gzipSync } from 'node:zlib';`,
    `import { readFileSync } from 'node:fs';`,
    `const app = createApp({ name: 'p' });`,
    `app.task('archive.pack', (text: string) => gzipSync(text));`,
    `app.task('http.fetch', async (url: string) => (await fetch(url)).text(), { queue: 'cpu' });`,
    `app.task('reports.build', (n: number) => { let s = 0; for (let i = 0; i < 10_000_000; i++) s += i % n; return s; }, { queue: 'reports', timeLimit: '1m' });`,
    `app.task('images.crunch', (xs: number[]) => { for (const a of xs) for (const b of xs) Math.hypot(a, b); }, { queue: 'default', timeLimit: '30s' });`,
    `app.task('http.config', async (path: string) => { const text = readFileSync(path, 'utf8'); await fetch('https://x.example', { method: 'POST', body: text }); });`,
    `app.task('http.ok', async (url: string) => fetch(url));`,
    '',
  ].join('\n'),
  'src/bull.ts': [
    `import { Worker } from 'bullmq';`,
    `import { pbkdf2Sync } from 'node:crypto';`,
    `import { Pool } from 'pg';`,
    `const pg = new Pool();`,
    `new Worker('keys', async (job) => pbkdf2Sync(job.data.p, 's', 500_000, 64, 'sha512'), { concurrency: 8 });`,
    `new Worker('rows', \`\${__dirname}/rows.js\`, { useWorkerThreads: true });`,
    '',
  ].join('\n'),
  'src/rows.ts': `import { Pool } from 'pg';\nconst pg = new Pool();\nexport default async function (job: { data: { id: string } }) { await pg.query('select 1'); }\n`,
});
after(() => ws.remove());

const service = createAnalysisService({ root: ws.root, cores: 2 });
service.analyzeAll();
const tasksFile = ws.path('src/tasks.ts');
const problemsOf = (task: string, file = tasksFile): Problem[] => service.problems(file).filter((p) => p.task === task);
const codes = (task: string, file = tasksFile) => problemsOf(task, file).map((p) => p.code).sort();

test('a blocking task on an async worker stalls the other N−1 tasks, and is sent to a threads queue', () => {
  const [problem] = problemsOf('archive.pack');
  assert.equal(problem.code, 'blocking-on-async');
  assert.match(problem.message, /stalls the other 499 tasks/);
  assert.equal(problem.data?.queue, 'cpu');
  assert.equal(problem.range.startLine, 5);
  const task = service.tasks().find((t) => t.name === 'archive.pack')!;
  assert.equal(task.routedQueue, 'default');
  assert.equal(task.queue, 'cpu');
  assert.equal(task.summary, 'suggest: threads × 2 · queue cpu — CPU-bound · blocking');
});

test('an I/O task on a threads worker is a pool mismatch, pointed at its queue option', () => {
  const [problem] = problemsOf('http.fetch');
  assert.equal(problem.code, 'pool-mismatch');
  assert.equal(problem.data?.queue, 'io');
  const line = 6;
  assert.equal(problem.range.startLine, line);
  assert.equal(problem.range.startColumn, `app.task('http.fetch', async (url: string) => (await fetch(url)).text(), { queue: `.length);
});

test('a queue no worker serves', () => {
  const [problem] = problemsOf('reports.build');
  assert.equal(problem.code, 'unserved-queue');
  assert.match(problem.message, /'reports'/);
  assert.equal(problem.data?.queue, 'reports');
  assert.equal(problem.data?.pool, 'threads');
});

test('a CPU task with a hard time limit on an async worker cannot be pre-empted', () => {
  assert.deepEqual(codes('images.crunch'), ['blocking-on-async', 'unpreemptible-time-limit']);
});

test('readFileSync in an I/O task: a sync-io quick-fix problem at the call, and blocking-on-async', () => {
  assert.deepEqual(codes('http.config'), ['blocking-on-async', 'sync-io']);
  const syncIo = problemsOf('http.config').find((p) => p.code === 'sync-io')!;
  assert.deepEqual(syncIo.data?.replacement, { name: 'readFile', from: 'node:fs/promises' });
  assert.equal(syncIo.range.startLine, 9);
  assert.equal(syncIo.range.startColumn, `app.task('http.config', async (path: string) => { const text = `.length);
  assert.match(problemsOf('http.config').find((p) => p.code === 'blocking-on-async')!.message, /Replace its synchronous calls/);
});

test('a fitting task has no problems', () => {
  assert.deepEqual(codes('http.ok'), []);
});

test('BullMQ: a blocking inline processor, and an I/O processor sandboxed in a thread', () => {
  const bull = ws.path('src/bull.ts');
  const [keys] = problemsOf('keys', bull);
  assert.equal(keys.code, 'blocking-on-async');
  assert.match(keys.message, /stalls the other 7 jobs/);
  assert.match(keys.message, /useWorkerThreads: true/);
  const [rows] = problemsOf('rows', bull);
  assert.equal(rows.code, 'pool-mismatch');
  assert.match(rows.message, /Run it inline/);
  const keysTask = service.tasks().find((t) => t.name === 'keys')!;
  assert.equal(keysTask.framework, 'bullmq');
  assert.match(keysTask.summary, /^suggest: sandboxed in worker threads × 2 — CPU-bound · blocking · now inline, concurrency 8$/);
});

test('config errors are problems of the config file, at the offending field; fixing the config brings routing back', () => {
  const configPath = ws.path('tasklane.config.json');
  const broken = CONFIG.replace('"pool": "async"', '"pool": "gevnet"');
  const affected = service.updateFile(configPath, broken);
  assert.ok(affected.includes(configPath) && affected.includes(tasksFile));
  const [problem] = service.problems(configPath);
  assert.equal(problem.code, 'config-error');
  assert.match(problem.message, /workers\.io\.pool must be one of/);
  const line = broken.split('\n').findIndex((l) => l.includes('gevnet')) + 1;
  assert.equal(problem.range.startLine, line);
  assert.deepEqual(codes('archive.pack'), [], 'no routing judgement from an invalid config');

  service.updateFile(configPath, '{ "workers": ');
  assert.match(service.problems(configPath)[0].message, /not valid JSON/);

  service.updateFile(configPath, undefined);
  assert.deepEqual(service.problems(configPath), []);
  assert.deepEqual(codes('archive.pack'), ['blocking-on-async']);
});

test("a worker's concurrency, when the config leaves it out, is the runtime's default for its pool (solo is 1, not the cores)", () => {
  const solo = tempWorkspace({
    'tasklane.config.json': JSON.stringify({ workers: { one: { pool: 'solo', queues: ['default'] } } }),
    'src/tasks.ts': `import { createApp } from 'tasklane';\nconst app = createApp({ name: 's' });\napp.task('sum.big', (n: number) => { let s = 0; for (let i = 0; i < 10_000_000; i++) s += i % n; return s; }, { timeLimit: '1m' });\n`,
  });
  try {
    const analysis = createAnalysisService({ root: solo.root, cores: 8 });
    analysis.analyzeAll();
    const [problem] = analysis.problems(solo.path('src/tasks.ts')).filter((p) => p.task === 'sum.big');
    assert.equal(problem.code, 'unpreemptible-time-limit');
    assert.match(problem.message, /worker 'one' \(solo × 1\)/);
  } finally {
    solo.remove();
  }
});
