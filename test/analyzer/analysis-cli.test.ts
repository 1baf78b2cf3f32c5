// `tasklane analyze` as a user runs it: the real bin in a child process, on corpus workspaces.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const root = join(__dirname, '../..');
const bin = join(root, 'runtime/bin/tasklane.mjs');
const corpus = join(root, 'test/corpus');
const run = promisify(execFile);

async function analyze(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'analyze', ...args], { cwd: root, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('--json prints exactly the documented shape, paths relative to the analysed folder', { timeout: 120_000 }, async () => {
  const { code, stdout } = await analyze(join(corpus, 'tl-mixed-s3-exceljs'), '--json');
  assert.equal(code, 0);
  const output = JSON.parse(stdout) as { tasks: Array<Record<string, unknown> & { evidence: Array<Record<string, unknown>> }> };
  assert.deepEqual(Object.keys(output), ['tasks']);
  const [task] = output.tasks;
  assert.deepEqual(Object.keys(task), ['name', 'file', 'line', 'kind', 'blocking', 'pool', 'concurrency', 'queue', 'evidence']);
  assert.equal(task.name, 'exports.orders');
  assert.equal(task.file, 'src/tasks.ts');
  assert.equal(task.line, 6);
  assert.equal(task.kind, 'mixed');
  assert.equal(task.pool, 'threads');
  assert.ok(Number.isInteger(task.concurrency) && (task.concurrency as number) >= 1);
  for (const evidence of task.evidence) {
    assert.deepEqual(Object.keys(evidence), ['kind', 'message', 'file', 'line']);
    assert.ok(!String(evidence.file).startsWith('/'), 'relative evidence paths');
  }
  assert.ok(task.evidence.some((e) => e.kind === 'cpu' && e.file === 'src/export.ts'), 'evidence from the helper file');
  assert.ok(task.evidence.some((e) => e.kind === 'io' && e.file === 'src/tasks.ts'));
});

test('one file named: its own tasks only, their helpers in other files still followed', { timeout: 120_000 }, async () => {
  const project = join(corpus, 'tl-mixed-s3-exceljs');
  const own = JSON.parse((await analyze(join(project, 'src/tasks.ts'), '--json')).stdout) as { tasks: Array<{ name: string; file: string; kind: string }> };
  assert.deepEqual(own.tasks.map((t) => [t.name, t.file, t.kind]), [['exports.orders', 'tasks.ts', 'mixed']]);
  const helper = JSON.parse((await analyze(join(project, 'src/export.ts'), '--json')).stdout) as { tasks: unknown[] };
  assert.deepEqual(helper.tasks, [], 'a helper file declares no task');
});

test('BullMQ processors are named by their queue', { timeout: 120_000 }, async () => {
  const { stdout } = await analyze(join(corpus, 'bq-sandboxed-path-join'), '--json');
  const output = JSON.parse(stdout) as { tasks: Array<{ name: string; kind: string; evidence: Array<{ file: string }> }> };
  assert.deepEqual(output.tasks.map((t) => [t.name, t.kind]), [['resize', 'cpu']]);
  assert.equal(output.tasks[0].evidence[0].file, 'src/processors/resize.js');
});

test('without --json: a readable table with the evidence under each task', { timeout: 120_000 }, async () => {
  const { code, stdout } = await analyze(join(corpus, 'tl-readfilesync-class-deep'));
  assert.equal(code, 0);
  const lines = stdout.split('\n');
  assert.match(lines[0], /^TASK\s+KIND\s+BLOCKING\s+POOL\s+QUEUE\s+WHERE$/);
  assert.match(lines[1], /^newsletter\.render\s+io\s+yes\s+threads × \d+\s+\S+\s+src\/tasks\.ts:7$/);
  assert.ok(lines.some((l) => /blocking\s+src\/templates\/loader\.ts:4\s+fs\.readFileSync\(\)/.test(l)));
  assert.match(stdout, /1 task\(s\): 0 cpu, 1 io, 0 mixed, 0 unknown; 1 blocking/);
});

test('a path that does not exist: one clear error, exit 2', { timeout: 120_000 }, async () => {
  const { code, stdout, stderr } = await analyze(join(corpus, 'no-such-case'));
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /no-such-case does not exist: name a folder or a \.ts\/\.js file/);
});
