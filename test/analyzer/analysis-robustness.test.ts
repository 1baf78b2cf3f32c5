// Broken code, huge files, import cycles, recursion and deep call chains: the analyzer answers
// what it can, logs why the rest is missing, and never throws or hangs.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import { tempWorkspace } from './analysis-helpers.ts';

const chain = Array.from({ length: 30 }, (_, i) =>
  i === 29 ? `function step29() { return fetch('https://deep.example'); }` : `function step${i}() { return step${i + 1}(); }`).join('\n');

const ws = tempWorkspace({
  'src/app.ts': `import { createApp } from 'tasklane';\nexport const app = createApp({ name: 'r' });\n`,
  // Syntax errors around a valid task: the parser recovers, the task is still found.
  'src/broken.ts': `import { app } from './app.ts';\nconst x = {{{ ;\napp.task('broken.ok', async (u: string) => { await fetch(u); });\nfunction (( {\n`,
  // export * cycles and a const alias cycle.
  'src/a.ts': `export * from './b.ts';\nexport const alias1 = alias2;\nexport const alias2 = alias1;\nexport function fromA() { return 1; }\n`,
  'src/b.ts': `export * from './a.ts';\n`,
  'src/cycle.ts': `import { app } from './app.ts';\nimport { missing, alias1 } from './b.ts';\napp.task('cycle.task', async () => { missing(); alias1(); });\n`,
  // Mutual recursion across files.
  'src/even.ts': `import { odd } from './odd.ts';\nexport function even(n: number): boolean { return n === 0 || odd(n - 1); }\n`,
  'src/odd.ts': `import { even } from './even.ts';\nexport function odd(n: number): boolean { return n !== 0 && even(n - 1); }\n`,
  'src/parity.ts': `import { app } from './app.ts';\nimport { even } from './even.ts';\napp.task('parity.even', (n: number) => even(n));\n`,
  // A call chain deeper than the depth limit.
  'src/deep.ts': `import { app } from './app.ts';\n${chain}\napp.task('deep.chain', async () => step0());\n`,
  // Deeply nested expressions: one the parser handles, one that exhausts even TypeScript's parser.
  'src/nested.ts': `import { app } from './app.ts';\napp.task('nested.expr', () => ${'('.repeat(400)}1${')'.repeat(400)});\n`,
  'src/too-nested.ts': `import { app } from './app.ts';\napp.task('too.nested', () => ${'('.repeat(5000)}1${')'.repeat(5000)});\n`,
  // A generated file over the size limit, and a handler that cannot be followed.
  'src/huge.ts': `import { app } from './app.ts';\napp.task('huge.task', () => 1);\n${'// filler\n'.repeat(120_000)}`,
  'src/unfollowable.ts': `import { app } from './app.ts';\nexport function register(handler: (x: number) => number) { app.task('dynamic.handler', handler); }\n`,
});
after(() => ws.remove());

const logs: string[] = [];
const service = createAnalysisService({ root: ws.root, maxDepth: 8, log: (m) => logs.push(m) });
const tasks = service.analyzeAll();
const task = (name: string) => tasks.find((t) => t.name === name);

test('broken code: the valid task in it is found and classified', () => {
  assert.equal(task('broken.ok')?.kind, 'io');
});

test('export * cycles and alias cycles end: the task is found, unknown', () => {
  assert.equal(task('cycle.task')?.kind, 'unknown');
});

test('mutual recursion across files terminates and counts as CPU work', () => {
  assert.equal(task('parity.even')?.kind, 'cpu');
  assert.equal(task('parity.even')?.blocking, true);
});

test('a chain deeper than the limit stops with a logged reason and an info note', () => {
  const deep = task('deep.chain')!;
  assert.equal(deep.kind, 'unknown');
  assert.ok(deep.evidence.some((e) => e.kind === 'info' && /stopped following calls at depth 8/.test(e.message)));
  assert.ok(logs.some((m) => m.includes("task 'deep.chain'") && m.includes('depth 8')));
  const deeper = createAnalysisService({ root: ws.root, maxDepth: 40 }).analyzeAll().find((t) => t.name === 'deep.chain')!;
  assert.equal(deeper.kind, 'io', 'with a bigger limit the fetch at the bottom is seen');
});

test('deeply nested expressions: analysed when they parse, skipped with a reason when they do not', () => {
  assert.ok(task('nested.expr'));
  assert.equal(task('too.nested'), undefined);
  assert.ok(logs.some((m) => m.includes('too-nested.ts') && /Maximum call stack/.test(m)));
});

test('a file over the size limit is skipped with a reason', () => {
  assert.equal(task('huge.task'), undefined);
  assert.ok(logs.some((m) => m.includes('huge.ts') && /larger than/.test(m)));
});

test('a handler passed in as a parameter: found, unknown, with the reason', () => {
  const dynamic = task('dynamic.handler')!;
  assert.equal(dynamic.kind, 'unknown');
  assert.ok(dynamic.evidence.some((e) => e.kind === 'info' && /cannot follow the handler `handler`/.test(e.message)));
});

test('an edit that breaks a file mid-typing keeps the service answering', () => {
  const file = ws.path('src/parity.ts');
  for (const text of [`import { app } from './app.ts';\napp.task('parity.even', (n: number) => even(`, `import { app`, '', `app.task(`]) {
    service.updateFile(file, text);
    service.problems(file);
  }
  service.updateFile(file, undefined);
  assert.equal(service.tasks().find((t) => t.name === 'parity.even')?.kind, 'cpu');
});
