// The quick fixes' edits on real source text: each edit is applied and the result compared with
// what a person would have written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TaskAnalysis } from '../../analyzer/src/types.ts';
import { addWorkerEdits, configWorkers, servesQueue, workerName } from '../../server/src/fixes/addWorker.ts';
import { routeToQueueEdits } from '../../server/src/fixes/routeToQueue.ts';
import { syncToAsyncEdits } from '../../server/src/fixes/syncToAsync.ts';

let version = 0;
function doc(text: string, name = 'tasks.ts'): TextDocument {
  return TextDocument.create(`file:///work/${name}`, 'typescript', ++version, text);
}

/** The analyzer-style range (1-based line, 0-based column) of the first call whose text starts with `prefix`. */
function callRange(document: TextDocument, prefix: string): Range {
  const file = ts.createSourceFile('x.ts', document.getText(), ts.ScriptTarget.Latest, true);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    // The innermost match: `fs.readFileSync(p)`, not `fs.readFileSync(p).toString()`.
    const inside = !found || (node.getStart(file) >= found.getStart(file) && node.getEnd() <= found.getEnd());
    if (inside && (ts.isCallExpression(node) || ts.isNewExpression(node)) && node.getText(file).startsWith(prefix)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(file);
  assert.ok(found, `no call starting with ${prefix}`);
  const start = document.positionAt(found.getStart(file));
  const end = document.positionAt(found.getEnd());
  return { file: '/work/tasks.ts', startLine: start.line + 1, startColumn: start.character, endLine: end.line + 1, endColumn: end.character };
}

function task(document: TextDocument, framework: TaskAnalysis['framework'] = 'tasklane'): TaskAnalysis {
  const range = callRange(document, framework === 'tasklane' ? 'app.task(' : 'new Worker(');
  return {
    name: 'images.resize', framework, file: '/work/tasks.ts', line: range.startLine, range,
    kind: 'cpu', blocking: true, pool: 'threads', concurrency: 2, queue: 'cpu', routedQueue: 'io',
    summary: 'suggest: threads × 2 · queue cpu — CPU-bound', breakdown: 'mostly CPU: sharp resize (heavy)', evidence: [], problems: [],
  };
}

function route(text: string, queue = 'cpu'): string | undefined {
  const document = doc(text);
  const edits = routeToQueueEdits(document, task(document), queue);
  return edits && TextDocument.applyEdits(document, edits);
}

describe('route to queue', () => {
  it('changes the queue option in place', () => {
    assert.equal(
      route(`app.task('images.resize', async () => 1, { queue: 'io', retries: 3 });`),
      `app.task('images.resize', async () => 1, { queue: 'cpu', retries: 3 });`,
    );
  });

  it('adds the queue to an options object without one, after a spread so it is not overridden', () => {
    assert.equal(
      route(`app.task('images.resize', async () => 1, { ...defaults, retries: 3 });`),
      `app.task('images.resize', async () => 1, { ...defaults, retries: 3, queue: 'cpu' });`,
    );
  });

  it('keeps a multi-line options object multi-line', () => {
    const before = `app.task('images.resize', async () => 1, {\n  retries: 3,\n  timeLimit: '30s',\n});`;
    assert.equal(route(before), `app.task('images.resize', async () => 1, {\n  retries: 3,\n  timeLimit: '30s',\n  queue: 'cpu',\n});`);
  });

  it('adds the options argument when there is none', () => {
    assert.equal(
      route(`export const t = app.task('images.resize', async (path: string) => {\n  return path;\n});`),
      `export const t = app.task('images.resize', async (path: string) => {\n  return path;\n}, { queue: 'cpu' });`,
    );
  });

  it('fills an empty options object and overrides options held in a variable', () => {
    assert.equal(route(`app.task('a', handler, {});`), `app.task('a', handler, { queue: 'cpu' });`);
    assert.equal(route(`app.task('a', handler, shared);`), `app.task('a', handler, { ...shared, queue: 'cpu' });`);
  });

  it("writes the file's quotes", () => {
    assert.equal(route(`app.task("a", handler, { queue: "io" });`), `app.task("a", handler, { queue: "cpu" });`);
  });

  it('leaves BullMQ workers alone (their queue is their name)', () => {
    const document = doc(`new Worker('mail', async () => 1);`);
    assert.equal(routeToQueueEdits(document, task(document, 'bullmq'), 'cpu'), undefined);
  });
});

const readFile = { name: 'readFile', from: 'node:fs/promises' };

function toAsync(text: string, prefix = 'readFileSync('): string | undefined {
  const document = doc(text);
  const edits = syncToAsyncEdits(document, callRange(document, prefix), readFile);
  return edits && TextDocument.applyEdits(document, edits);
}

describe('readFileSync → await readFile', () => {
  it('replaces the call, and the import in place when it was its last use', () => {
    const before = [
      `import { readFileSync } from 'node:fs';`,
      `import { createApp } from 'tasklane';`,
      `export const t = app.task('a', async (path: string) => {`,
      `  const text = readFileSync(path, 'utf8');`,
      `  return text.length;`,
      `});`,
    ].join('\n');
    assert.equal(toAsync(before), [
      `import { readFile } from 'node:fs/promises';`,
      `import { createApp } from 'tasklane';`,
      `export const t = app.task('a', async (path: string) => {`,
      `  const text = await readFile(path, 'utf8');`,
      `  return text.length;`,
      `});`,
    ].join('\n'));
  });

  it('follows the file\'s semicolon style', () => {
    const before = `import { readFileSync } from 'fs'\nasync function load(p: string) {\n  return readFileSync(p)\n}\n`;
    assert.equal(toAsync(before), `import { readFile } from 'node:fs/promises'\nasync function load(p: string) {\n  return await readFile(p)\n}\n`);
  });

  it('keeps the old import while other code still uses it', () => {
    const before = `import { readFileSync, statSync } from 'node:fs';\nconst a = readFileSync('x');\nasync function f() { return readFileSync('y'); }\n`;
    assert.equal(
      toAsync(before, "readFileSync('y')"),
      `import { readFileSync, statSync } from 'node:fs';\nimport { readFile } from 'node:fs/promises';\nconst a = readFileSync('x');\nasync function f() { return await readFile('y'); }\n`,
    );
  });

  it('removes only its specifier from a shared import', () => {
    const before = `import { statSync, readFileSync } from 'node:fs';\nasync function f() { statSync('x'); return readFileSync('y'); }\n`;
    assert.equal(
      toAsync(before),
      `import { statSync } from 'node:fs';\nimport { readFile } from 'node:fs/promises';\nasync function f() { statSync('x'); return await readFile('y'); }\n`,
    );
  });

  it('adds to an existing fs/promises import and parenthesises a member access', () => {
    const before = `import * as fs from 'node:fs';\nimport { writeFile } from 'node:fs/promises';\nasync function f(p: string) { return fs.readFileSync(p).toString(); }\n`;
    assert.equal(
      toAsync(before, 'fs.readFileSync('),
      `import * as fs from 'node:fs';\nimport { writeFile, readFile } from 'node:fs/promises';\nasync function f(p: string) { return (await readFile(p)).toString(); }\n`,
    );
  });

  it('uses an existing alias of the async twin', () => {
    const before = `import { readFileSync } from 'node:fs';\nimport { readFile as read } from 'fs/promises';\nconst g = async () => readFileSync('a');\n`;
    assert.equal(toAsync(before), `import { readFile as read } from 'fs/promises';\nconst g = async () => await read('a');\n`);
  });

  it('is not offered outside an async function (await would not compile)', () => {
    assert.equal(toAsync(`import { readFileSync } from 'node:fs';\nfunction f() { return readFileSync('a'); }\n`), undefined);
    assert.equal(toAsync(`import { readFileSync } from 'node:fs';\nasync function f() { return [1].map(() => readFileSync('a')); }\n`), undefined);
  });

  it('is not offered when the name is taken by something else', () => {
    assert.equal(toAsync(`import { readFileSync, readFile } from 'node:fs';\nasync function f() { return readFileSync('a'); }\n`), undefined);
  });
});

describe('add a worker to tasklane.config.json', () => {
  const config = `{\n    "app": "src/tasks.ts",\n    "workers": {\n        "io": { "pool": "async", "concurrency": 200, "queues": ["io", "default"] }\n    }\n}\n`;

  it('adds the worker in the file’s indentation and leaves the rest as written', () => {
    const document = doc(config, 'tasklane.config.json');
    const workers = configWorkers(config)!;
    assert.equal(servesQueue(workers, 'cpu'), false);
    const spec = { queue: 'cpu', pool: 'threads' as const, concurrency: 2 };
    const after = TextDocument.applyEdits(document, addWorkerEdits(document, workerName(workers, spec), spec));
    assert.ok(after.startsWith(`{\n    "app": "src/tasks.ts",\n    "workers": {\n        "io": { "pool": "async", "concurrency": 200, "queues": ["io", "default"] },\n`), after);
    assert.deepEqual(JSON.parse(after).workers.cpu, { pool: 'threads', concurrency: 2, queues: ['cpu'] });
    assert.equal(servesQueue(configWorkers(after)!, 'cpu'), true);
  });

  it('writes the new worker over several lines when the last one is', () => {
    const multiline = `{\n  "workers": {\n    "io": {\n      "pool": "async"\n    }\n  }\n}`;
    const document = doc(multiline, 'tasklane.config.json');
    const after = TextDocument.applyEdits(document, addWorkerEdits(document, 'cpu', { queue: 'cpu', pool: 'threads', concurrency: 2 }));
    assert.equal(after, `{\n  "workers": {\n    "io": {\n      "pool": "async"\n    },\n    "cpu": {\n      "pool": "threads",\n      "concurrency": 2,\n      "queues": [\n        "cpu"\n      ]\n    }\n  }\n}`);
  });

  it('creates the workers object and picks a free name', () => {
    const bare = `{ "app": "src/tasks.ts" }`;
    const document = doc(bare, 'tasklane.config.json');
    const spec = { queue: 'io', pool: 'async' as const, concurrency: 100 };
    const after = JSON.parse(TextDocument.applyEdits(document, addWorkerEdits(document, 'io', spec)));
    assert.deepEqual(after.workers, { io: { pool: 'async', concurrency: 100, queues: ['io'] } });
    assert.equal(workerName({ io: { pool: 'threads', queues: ['cpu'] } }, spec), 'io-async');
  });

  it('counts a worker without queues as serving "default", and offers nothing for an invalid config', () => {
    assert.equal(servesQueue({ w: { pool: 'async' } }, 'default'), true);
    assert.equal(configWorkers(`{ "workers": { "w": { "pool": "gevent!" } } }`), undefined);
    assert.equal(configWorkers(`{ not json`), undefined);
  });
});
