// The cost model on the code people write: the verdict follows the dominant cost, loops are judged
// by their bounds, evidence is true and said once, and the pool fits the code as written (a blocking
// call never gets async; fixing it brings async back).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import type { TaskAnalysis } from '../../analyzer/src/types.ts';
import { tempWorkspace, type TempWorkspace } from './analysis-helpers.ts';

const workspaces: TempWorkspace[] = [];
after(() => { for (const ws of workspaces) ws.remove(); });

/** The tasks of a one-file workspace: `body` is the code after the app's creation. */
function analyse(body: string, files: Record<string, string> = {}): Map<string, TaskAnalysis> {
  const ws = tempWorkspace({ 'src/tasks.ts': `import { createApp } from 'tasklane';\nconst app = createApp({ name: 't' });\n${body}\n`, ...files });
  workspaces.push(ws);
  return new Map(createAnalysisService({ root: ws.root, cores: 2 }).analyzeAll().map((t) => [t.name, t]));
}

const verdict = (t: TaskAnalysis) => ({ kind: t.kind, blocking: t.blocking, pool: t.pool });

test('the dominant cost decides: four sharp resizes and one mkdir are CPU work, with a breakdown', () => {
  const task = analyse(`import sharp from 'sharp';
import { mkdir } from 'node:fs/promises';
app.task('img.sizes', async (input: Buffer, dir: string) => {
  await mkdir(dir, { recursive: true });
  for (const size of [64, 128, 256, 512]) await sharp(input).resize(size).webp().toFile(dir + '/' + size);
  await sharp(input).resize(32).toFile(dir + '/32');
  await sharp(input).resize(16).toFile(dir + '/16');
  await sharp(input).rotate().toFile(dir + '/r');
});`).get('img.sizes')!;
  assert.deepEqual(verdict(task), { kind: 'cpu', blocking: false, pool: 'threads' });
  assert.equal(task.breakdown, 'mostly CPU: sharp resize ×3 (heavy); sharp rotate (heavy); mkdir (trivial)');
  assert.ok(task.evidence.every((e) => e.kind === 'info' || e.cost), 'every finding carries its cost');
  assert.equal(task.evidence.find((e) => /mkdir/.test(e.message))?.cost, 'wait-trivial');
});

test('real I/O next to real CPU is mixed; a small loop next to I/O stays I/O', () => {
  const tasks = analyse(`import sharp from 'sharp';
app.task('img.fetchResize', async (url: string) => sharp(Buffer.from(await (await fetch(url)).arrayBuffer())).resize(100).toBuffer());
app.task('io.sum', async (url: string) => { const xs: number[] = await (await fetch(url)).json(); let s = 0; for (const x of xs) s += x; return s; });`);
  assert.equal(tasks.get('img.fetchResize')!.kind, 'mixed');
  assert.deepEqual(verdict(tasks.get('io.sum')!), { kind: 'io', blocking: false, pool: 'async' });
});

test('loops by their bounds: nested trivial array methods and per-element parts do not block; nested loops over data do', () => {
  const tasks = analyse(`
type Org = { projects: Array<{ id: string }> };
app.task('loops.flatMap', (orgs: Org[]) => orgs.flatMap((o) => o.projects.map((p) => p.id)));
app.task('loops.lookup', (ids: string[], pending: string[]) => ids.filter((id) => !pending.some((p) => p === id)));
app.task('loops.fixed', (rows: number[]) => { const out: number[] = []; for (const r of rows) for (const k of ['a', 'b', 'c']) out.push(r + k.length); return out; });
app.task('loops.quadratic', (records: Array<{ email: string }>) => {
  const unique: typeof records = [];
  for (const record of records) { let seen = false; for (const kept of unique) if (kept.email === record.email) seen = true; if (!seen) unique.push(record); }
  return unique;
});`);
  for (const name of ['loops.flatMap', 'loops.lookup', 'loops.fixed']) {
    assert.deepEqual(verdict(tasks.get(name)!), { kind: 'cpu', blocking: false, pool: 'threads' }, name);
  }
  assert.deepEqual(verdict(tasks.get('loops.quadratic')!), { kind: 'cpu', blocking: true, pool: 'threads' });
});

test("an element's parts walked through a call or by index are per-element work, not a nested loop over the data", () => {
  const tasks = analyse(`
type Batch = { value: { items: string[] } };
app.task('loops.entries', (batches: Batch[]) => { const out: string[] = []; for (const b of batches) for (const [i, x] of b.value.items.entries()) out.push(i + x); return out; });
app.task('loops.indexed', (batches: Batch[]) => {
  const out: string[] = [];
  for (let n = 0; n < batches.length; n++) { const batch = batches[n]; for (const x of batch.value.items) out.push(x); }
  return out;
});
app.task('loops.indexedQuadratic', (rows: string[], others: string[]) => {
  let hits = 0;
  for (let n = 0; n < rows.length; n++) { const row = rows[n]; for (const other of others) if (other === row) hits++; }
  return hits;
});`);
  for (const name of ['loops.entries', 'loops.indexed']) {
    assert.deepEqual(verdict(tasks.get(name)!), { kind: 'cpu', blocking: false, pool: 'threads' }, JSON.stringify(tasks.get(name)!.evidence));
  }
  assert.equal(tasks.get('loops.indexedQuadratic')!.blocking, true);
});

test('recursion on the values a helper hands its callback walks the structure; recursion on computed values grows', () => {
  const tasks = analyse(`import { mapValues } from './walk.ts';
const redact = (obj: Record<string, unknown>): Record<string, unknown> =>
  mapValues(obj, (value) => (typeof value === 'object' && value ? redact(value as Record<string, unknown>) : '***'));
app.task('rec.redact', (config: Record<string, unknown>) => redact(config));
const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
app.task('rec.fib', (n: number) => fib(n));`, {
    'src/walk.ts': `export function mapValues(obj: Record<string, unknown>, fn: (v: unknown) => unknown) {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = fn(obj[key]);
  return out;
}
`,
  });
  assert.equal(tasks.get('rec.redact')!.blocking, false, JSON.stringify(tasks.get('rec.redact')!.evidence));
  assert.ok(tasks.get('rec.redact')!.evidence.some((e) => /on a part of its input/.test(e.message)));
  assert.equal(tasks.get('rec.fib')!.blocking, true);
});

test("a looping helper handed each element's parts walks the data once; handed a whole collection, the work multiplies", () => {
  const tasks = analyse(`import { countTags, countMatches, label } from './count.ts';
type Post = { id: string; tags: string[] };
app.task('helper.parts', (posts: Post[]) => { let n = 0; for (const post of posts) n += countTags(post.tags, 'x'); return n; });
app.task('helper.derived', (posts: Post[]) => posts.map((post) => { const tags = post.tags.join(',').split(','); return countTags(tags, 'x'); }));
app.task('helper.spread', (posts: Post[]) => posts.map((post) => { const tags = (post.tags ?? []).map((t) => t.trim()); return countTags([...tags, ...post.tags], 'x'); }));
app.task('helper.share', (posts: Post[], tags: Array<{ postId: string; tag: string }>) => posts.map((post) => {
  const own = tags.filter((t) => t.postId === post.id).map((t) => t.tag);
  return countTags(own, 'x');
}));
app.task('helper.lookup', (posts: Post[], names: Map<string, string>) => posts.map((post) => label(post, names)));
app.task('helper.whole', (posts: Post[], all: string[]) => { let n = 0; for (const post of posts) n += countMatches(all, post.id); return n; });`, {
    'src/count.ts': `export function countTags(tags: string[], tag: string) { let n = 0; for (const t of tags) if (t === tag) n++; return n; }
export function countMatches(all: string[], id: string) { let n = 0; for (const a of all) if (a.startsWith(id)) n++; return n; }
export function label(post: { id: string; tags: string[] }, names: Map<string, string>) { const out: string[] = []; for (const t of post.tags) out.push(names.get(t) ?? t); return out; }
`,
  });
  for (const name of ['helper.parts', 'helper.derived', 'helper.spread', 'helper.share', 'helper.lookup']) assert.equal(tasks.get(name)!.blocking, false, JSON.stringify(tasks.get(name)!.evidence));
  assert.equal(tasks.get('helper.whole')!.blocking, true);
});

test('a loop bounded by a named constant is as big as the constant', () => {
  const tasks = analyse(`
const MAX_DEPTH = 10;
const ROUNDS = 5_000_000;
app.task('bound.causes', (errors: Array<{ cause?: unknown }>) => {
  const out: unknown[] = [];
  for (const error of errors) { let current: unknown = error; for (let depth = 0; depth < MAX_DEPTH; depth++) { if (!current) break; out.push(current); current = (current as { cause?: unknown }).cause; } }
  return out;
});
app.task('bound.spin', (seed: number) => { let x = seed; for (let i = 0; i < ROUNDS; i++) x = (x * 31 + i) % 1_000_003; return x; });`);
  assert.equal(tasks.get('bound.causes')!.blocking, false, JSON.stringify(tasks.get('bound.causes')!.evidence));
  assert.ok(tasks.get('bound.spin')!.evidence.some((e) => /loop of 5,000,000 iterations/.test(e.message)));
});

test('iterating over dates is not a busy-wait; spinning on the clock is', () => {
  const tasks = analyse(`
app.task('dates.days', (from: string) => { const days: string[] = []; for (let d = new Date(from); d < new Date(); d.setDate(d.getDate() + 1)) days.push(d.toISOString()); return days; });
app.task('dates.until', (end: number) => { let d = Date.now(); const out: number[] = []; while (d < end && Date.now() < end) { out.push(d); d += 86_400_000; } return out; });
app.task('dates.spin', (ms: number) => { const until = Date.now() + ms; while (Date.now() < until) { /* wait */ } });`);
  assert.equal(tasks.get('dates.days')!.blocking, false);
  assert.ok(!tasks.get('dates.days')!.evidence.some((e) => /busy-wait/.test(e.message)));
  assert.ok(!tasks.get('dates.until')!.evidence.some((e) => /busy-wait/.test(e.message)));
  assert.ok(tasks.get('dates.spin')!.evidence.some((e) => /busy-wait on Date\.now\(\)/.test(e.message)));
  assert.equal(tasks.get('dates.spin')!.blocking, true);
});

test("a singleton's setInterval flush is not charged to its callers; an awaited sleep is a timer wait", () => {
  const tasks = analyse(`import { metrics } from './metrics.ts';
app.task('m.count', (name: string) => { metrics.count(name); return name; });
app.task('m.sleep', async (ms: number) => { await new Promise((resolve) => setTimeout(resolve, ms)); });`, {
    'src/metrics.ts': `class Metrics {
  private counts = new Map<string, number>();
  constructor() { setInterval(() => this.flush(), 10_000); }
  count(name: string) { this.counts.set(name, (this.counts.get(name) ?? 0) + 1); }
  async flush() { await fetch('https://metrics.example.com', { method: 'POST', body: JSON.stringify([...this.counts]) }); }
}
export const metrics = new Metrics();
`,
  });
  const count = tasks.get('m.count')!;
  assert.notEqual(count.kind, 'io', JSON.stringify(count.evidence));
  assert.ok(!count.evidence.some((e) => /fetch|setInterval/.test(e.message)));
  const sleep = tasks.get('m.sleep')!;
  assert.deepEqual(verdict(sleep), { kind: 'io', blocking: false, pool: 'async' });
  assert.equal(sleep.evidence[0].cost, 'wait-timer');
});

test('true evidence: p-limit does no I/O, a synchronous call mapped over rows is not awaited, one fact once', () => {
  const tasks = analyse(`import pLimit from 'p-limit';
import { transform } from 'text-kit';
import { load } from './load.ts';
app.task('e.limited', async (urls: string[]) => { const limit = pLimit(4); return Promise.all(urls.map((u) => limit(() => fetch(u)))); });
app.task('e.mapped', (rows: string[]) => rows.map((r) => transform(r)));
app.task('e.twice', async (a: string, b: string) => [await load(a), await load(b)]);`, {
    'src/load.ts': `import { readFile } from 'node:fs/promises';\nexport async function load(p: string) { return readFile(p, 'utf8'); }\n`,
  });
  const limited = tasks.get('e.limited')!;
  assert.equal(limited.kind, 'io');
  assert.ok(!limited.evidence.some((e) => /pLimit|p-limit/.test(e.message)), JSON.stringify(limited.evidence));
  assert.ok(limited.evidence.some((e) => /fetch\(\) waits on the network/.test(e.message)));
  assert.ok(!tasks.get('e.mapped')!.evidence.some((e) => /assumed to wait on I\/O/.test(e.message)));
  const twice = tasks.get('e.twice')!;
  assert.equal(twice.evidence.filter((e) => /readFile/.test(e.message)).length, 1, 'the helper is reached twice, its call is one fact');
});

test('a call that cannot be followed is named; when it could outweigh the rest the task is unknown and keeps its pool', () => {
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'acme', workspaces: ['packages/*'] }),
    'packages/jobs/package.json': JSON.stringify({ name: '@acme/jobs' }),
    'packages/jobs/tasklane.config.json': JSON.stringify({ workers: { io: { pool: 'async', concurrency: 100, queues: ['default'] } } }),
    'packages/jobs/src/tasks.ts': `import { createApp } from 'tasklane';
import { findBackupById } from '@acme/server';
import sharp from 'sharp';
const app = createApp({ name: 'b' });
app.task('b.restore', async (id: string) => (await findBackupById(id)).size);
app.task('b.thumb', async (id: string) => sharp((await findBackupById(id)).data).resize(64).toBuffer());
`,
  });
  workspaces.push(ws);
  const tasks = new Map(createAnalysisService({ root: ws.path('packages/jobs'), cores: 2 }).analyzeAll().map((t) => [t.name, t]));
  const restore = tasks.get('b.restore')!;
  assert.deepEqual(verdict(restore), { kind: 'unknown', blocking: false, pool: 'async' }, 'the pool of the worker serving it today');
  assert.ok(restore.evidence.some((e) => e.message === 'waits on findBackupById() in @acme/server — source not followed'));
  assert.ok(restore.evidence.some((e) => /Keep the task's current pool/.test(e.message)));
  assert.match(restore.summary, /keep the current pool/);
  assert.deepEqual(restore.problems, []);
  assert.equal(tasks.get('b.thumb')!.kind, 'cpu', 'heavy work seen decides, the unfollowed call is still named');
  assert.ok(tasks.get('b.thumb')!.evidence.some((e) => /source not followed/.test(e.message)));
});

test('an undecided task keeps the pool it runs on today, whichever it is, and names the call it could not follow', () => {
  const ws = tempWorkspace({
    'tasklane.config.json': JSON.stringify({ workers: { cpu: { pool: 'threads', concurrency: 2, queues: ['cpu'] } } }),
    'src/tasks.ts': `import { createApp } from 'tasklane';
import { runPlugin } from '@acme/plugins';
const app = createApp({ name: 'u' });
app.task('u.plugin', async (name: string) => runPlugin(name), { queue: 'cpu' });
`,
    'src/workers.ts': `import { Worker } from 'bullmq';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { runPlugin } from '@acme/plugins';
new Worker('sandboxed', \`\${__dirname}/plugin-processor.js\`);
export default async function (job: Job) { return runPlugin(job.data.name); }
@Processor('nest-plugins')
export class PluginProcessor extends WorkerHost {
  private readonly handlers: Record<string, (job: Job) => Promise<unknown>> = {};
  async process(job: Job) { return this.handlers[job.name](job); }
}
`,
    'src/hooks.ts': `import { Worker, type Job } from 'bullmq';
export function hookWorker(run: (job: Job) => Promise<unknown>) {
  return new Worker('hooks', async (job) => { return run(job); });
}
`,
    'src/plugin-processor.ts': `import { runPlugin } from '@acme/plugins';\nexport default async function (job: { data: { name: string } }) { return runPlugin(job.data.name); }\n`,
    'package.json': JSON.stringify({ name: 'acme-jobs', workspaces: ['packages/*'] }),
    'packages/plugins/package.json': JSON.stringify({ name: '@acme/plugins', main: 'dist/index.js' }),
  });
  workspaces.push(ws);
  const tasks = new Map(createAnalysisService({ root: ws.root, cores: 2 }).analyzeAll().map((t) => [t.name, t]));
  const undecided = (name: string, pool: string, call: RegExp) => {
    const task = tasks.get(name);
    assert.ok(task, `${name} among ${[...tasks.keys()]}`);
    assert.deepEqual({ kind: task.kind, pool: task.pool }, { kind: 'unknown', pool }, `${name}: ${JSON.stringify(task.evidence)}`);
    assert.ok(task.evidence.some((e) => call.test(e.message)), `${name} names the call: ${JSON.stringify(task.evidence)}`);
    assert.ok(task.evidence.some((e) => /Keep the task's current pool/.test(e.message)) || task.evidence.some((e) => /cannot be followed/.test(e.message)));
    assert.match(task.summary, /keep the current pool/);
  };
  undecided('u.plugin', 'threads', /runPlugin\(\) in @acme\/plugins/);
  undecided('sandboxed', 'prefork', /runPlugin\(\) in @acme\/plugins/);
  undecided('nest-plugins', 'async', /this\.handlers\[job\.name\]\(job\)/);
  undecided('hooks', 'async', /waits on run\(\), whose target could not be traced/);
});

test('a blocking call never gets the async pool; after the sync-io quick fix the suggestion is async again', () => {
  const ws = tempWorkspace({
    'tasklane.config.json': JSON.stringify({ workers: { io: { pool: 'async', concurrency: 100, queues: ['default'] } } }),
    'src/tasks.ts': `import { createApp } from 'tasklane';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const app = createApp({ name: 'p' });
app.task('p.config', async (path: string) => {
  const text = readFileSync(path, 'utf8');
  await fetch('https://x.example', { method: 'POST', body: text });
});
app.task('p.git', async () => fetch('https://x.example', { method: 'POST', body: execSync('git log -1').toString() }));
`,
  });
  workspaces.push(ws);
  const service = createAnalysisService({ root: ws.root, cores: 2 });
  const byName = () => new Map(service.tasks().map((t) => [t.name, t]));
  service.analyzeAll();
  assert.deepEqual(verdict(byName().get('p.config')!), { kind: 'io', blocking: true, pool: 'threads' });
  assert.deepEqual(verdict(byName().get('p.git')!), { kind: 'io', blocking: true, pool: 'threads' });
  const file = ws.path('src/tasks.ts');
  const syncIo = service.problems(file).find((p) => p.code === 'sync-io' && p.task === 'p.config')!;
  assert.ok(syncIo, 'the sync-io quick fix is still offered');
  assert.match(service.problems(file).find((p) => p.code === 'blocking-on-async' && p.task === 'p.config')!.message, /Replace its synchronous calls/);

  // What the quick fix does: the call becomes `await readFile(...)`, imported from fs/promises.
  const { name, from } = syncIo.data!.replacement as { name: string; from: string };
  const lines = readFileSync(file, 'utf8').split('\n');
  const r = syncIo.range;
  const line = lines[r.startLine - 1];
  lines[r.startLine - 1] = line.slice(0, r.startColumn) + `await ${name}` + line.slice(r.startColumn + 'readFileSync'.length);
  service.updateFile(file, [`import { ${name} } from '${from}';`, ...lines].join('\n'));
  assert.deepEqual(verdict(byName().get('p.config')!), { kind: 'io', blocking: false, pool: 'async' });
  assert.ok(!service.problems(file).some((p) => p.task === 'p.config'));
  assert.equal(byName().get('p.git')!.pool, 'threads', 'execSync has no mechanical fix: still threads');
});

test('packages at task level: an awaited ffmpeg child waits, react-pdf and vm block, tesseract.js and archiver do not', () => {
  const tasks = analyse(`import ffmpeg from 'fluent-ffmpeg';
import { renderToBuffer } from '@react-pdf/renderer';
import vm from 'node:vm';
import { recognize } from 'tesseract.js';
import archiver from 'archiver';
app.task('k.ffmpeg', (input: string, out: string) => new Promise((resolve, reject) => { ffmpeg(input).size('640x?').on('end', resolve).on('error', reject).save(out); }));
app.task('k.pdf', async (doc: any) => renderToBuffer(doc));
app.task('k.vm', (code: string) => vm.runInNewContext(code, {}));
app.task('k.ocr', async (image: Buffer) => (await recognize(image, 'eng')).data.text);
app.task('k.zip', async (files: string[]) => { const zip = archiver('zip'); for (const f of files) zip.file(f, { name: f }); await zip.finalize(); });`);
  assert.deepEqual(verdict(tasks.get('k.ffmpeg')!), { kind: 'io', blocking: false, pool: 'async' });
  assert.equal(tasks.get('k.ffmpeg')!.evidence[0].cost, 'wait-child');
  assert.deepEqual(verdict(tasks.get('k.pdf')!), { kind: 'cpu', blocking: true, pool: 'threads' });
  assert.deepEqual(verdict(tasks.get('k.vm')!), { kind: 'cpu', blocking: true, pool: 'threads' });
  assert.deepEqual(verdict(tasks.get('k.ocr')!), { kind: 'cpu', blocking: false, pool: 'threads' });
  assert.deepEqual(verdict(tasks.get('k.zip')!), { kind: 'cpu', blocking: false, pool: 'threads' });
});

test('evidence names calls as written: a compiled (0, fn) call by its function, a chain with its spaces', () => {
  const tasks = analyse(`import { gzipSync } from 'node:zlib';
app.task('m.compiled', (text: string) => (0, gzipSync)(text));
app.task('m.chain', async (url: string) => (await fetch(url)).text());`);
  assert.ok(tasks.get('m.compiled')!.evidence.some((e) => e.message.startsWith('gzipSync() (zlib)')), JSON.stringify(tasks.get('m.compiled')!.evidence));
  assert.ok(tasks.get('m.chain')!.evidence.some((e) => e.message.startsWith('(await fetch(url)).text()')), JSON.stringify(tasks.get('m.chain')!.evidence));
});
