// Incremental updates: an edit re-analyses the edited file and the tasks that read it, and says
// which files' problems may have changed; deleting and creating files works the same way.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import { tempWorkspace } from './analysis-helpers.ts';

const ws = tempWorkspace({
  'src/app.ts': `import { createApp } from 'tasklane';\nexport const app = createApp({ name: 'inc' });\n`,
  'src/lib/template.ts': `export async function loadTemplate(name: string) {\n  const res = await fetch('https://cdn.example.com/' + name);\n  return res.text();\n}\n`,
  'src/lib/index.ts': `export * from './template.ts';\n`,
  'src/mail.ts': `import { app } from './app.ts';\nimport { loadTemplate } from './lib/index.ts';\nexport const welcome = app.task('mail.welcome', async (to: string) => {\n  const html = await loadTemplate('welcome');\n  return to + html.length;\n});\n`,
  'src/math.ts': `import { app } from './app.ts';\nexport const sum = app.task('math.sum', (xs: number[]) => {\n  let s = 0;\n  for (const x of xs) s += x;\n  return s;\n});\n`,
});
after(() => ws.remove());

const logs: string[] = [];
const service = createAnalysisService({ root: ws.root, cores: 2, log: (m) => logs.push(m) });
const task = (name: string) => service.tasks().find((t) => t.name === name);

test('cold analysis finds both tasks', () => {
  const tasks = service.analyzeAll();
  assert.deepEqual(tasks.map((t) => [t.name, t.kind, t.blocking]).sort(), [['mail.welcome', 'io', false], ['math.sum', 'cpu', false]]);
});

test('an edit to a helper behind a barrel re-analyses the task that reaches it, and only that one', () => {
  const sumBefore = task('math.sum');
  const affected = service.updateFile(ws.path('src/lib/template.ts'),
    `import { readFileSync } from 'node:fs';\nexport async function loadTemplate(name: string) {\n  return readFileSync('/templates/' + name, 'utf8');\n}\n`);
  assert.ok(affected.includes(ws.path('src/mail.ts')), 'the task file is affected');
  assert.ok(affected.includes(ws.path('src/lib/template.ts')), 'the helper is affected');
  assert.ok(!affected.includes(ws.path('src/math.ts')), 'an unrelated task file is not');
  assert.equal(task('mail.welcome')!.blocking, true);
  assert.strictEqual(task('math.sum'), sumBefore, 'the unrelated task was not re-derived');
  const [syncIo] = service.problems(ws.path('src/lib/template.ts'));
  assert.equal(syncIo.code, 'sync-io');
  assert.equal(syncIo.range.startLine, 3);
  assert.deepEqual(syncIo.data?.replacement, { name: 'readFile', from: 'node:fs/promises' });
});

test('unsaved editor text wins over the disk; undefined reads the disk again', () => {
  service.updateFile(ws.path('src/math.ts'), `import { app } from './app.ts';\nexport const sum = app.task('math.sum', async (url: string) => (await fetch(url)).json());\n`);
  assert.equal(task('math.sum')!.kind, 'io');
  service.updateFile(ws.path('src/math.ts'), undefined);
  assert.equal(task('math.sum')!.kind, 'cpu');
});

test('a task renamed, added and deleted', () => {
  service.updateFile(ws.path('src/math.ts'), `import { app } from './app.ts';\nexport const sum = app.task('math.total', (a: number, b: number) => a + b);\n`);
  assert.ok(task('math.total') && !task('math.sum'));
  const created = ws.write('src/new.ts', `import { app } from './app.ts';\nimport { setTimeout } from 'node:timers/promises';\napp.task('new.wait', async () => { await setTimeout(10); });\n`);
  service.updateFile(created, undefined);
  assert.equal(task('new.wait')!.kind, 'io');
  const affected = service.removeFile(created);
  assert.ok(affected.includes(created));
  assert.equal(task('new.wait'), undefined);
});

test('deleting a helper leaves the task with a partial answer, restoring it brings the verdict back', () => {
  const helper = ws.path('src/lib/template.ts');
  const text = readFileSync(helper, 'utf8');
  rmSync(helper);
  service.removeFile(helper);
  const partial = task('mail.welcome')!;
  assert.equal(partial.kind, 'unknown');
  assert.equal(service.problems(helper).length, 0, 'no problems left in a deleted file');
  ws.write('src/lib/template.ts', text);
  service.updateFile(helper, undefined);
  assert.equal(task('mail.welcome')!.kind, 'io');
  assert.equal(task('mail.welcome')!.blocking, false, 'the text on disk (fetch) is back, not the unsaved edit');
});
