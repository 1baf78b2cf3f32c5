// The packages import one way (runtime <- analyzer <- server <- client): the typecheck stage runs
// scripts/check-layers.mjs on the real tree; here each kind of wrong-way import is shown to fail it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFile, checkLayers, importsOf } from '../../scripts/check-layers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifests = {
  runtime: { name: 'tasklane', dependencies: { ioredis: '*' } },
  analyzer: { name: '@tasklane/analyzer', dependencies: { tasklane: '*', 'ts-morph': '*' } },
  server: { name: '@tasklane/server', dependencies: { tasklane: '*', '@tasklane/analyzer': '*' } },
  client: { name: '@tasklane/client', dependencies: { tasklane: '*', '@tasklane/server': '*' } },
};
const check = (layer, text) => checkFile(root, layer, join(root, layer, 'src', 'x.ts'), text, manifests);

test('the repository as it is imports one way', () => {
  assert.deepEqual(checkLayers(root), []);
});

test('every import form is read: static, type-only, re-export, dynamic, side effect', () => {
  assert.deepEqual(importsOf(`import a from 'a';\nimport type { B } from "b";\nexport { c } from './c.ts';\nconst d = await import('d');\nimport 'e';\n// import x from 'commented';`), ['a', 'b', './c.ts', 'd', 'e']);
});

test('the runtime importing the analyzer fails, by name or by path', () => {
  assert.match(check('runtime', "import { createAnalysisService } from '@tasklane/analyzer';").join(), /runtime may not import analyzer/);
  assert.match(check('runtime', "const m = await import('../../analyzer/src/cli.ts');").join(), /leaves the runtime package/);
});

test('the client reaching into the analyzer fails; the server protocol and the runtime pass', () => {
  assert.match(check('client', "import type { Verdict } from '@tasklane/analyzer';").join(), /not a dependency of @tasklane\/client/);
  assert.deepEqual(check('client', "import type { TaskAnalysis } from '@tasklane/server/protocol';\nimport { sendTask } from 'tasklane/contract';\nimport * as vscode from 'vscode';"), []);
});

test('a package naming itself (self-reference) passes', () => {
  assert.deepEqual(check('runtime', "const worker = await import('tasklane/worker');"), []);
});

test('a package not in package.json fails; node built-ins pass', () => {
  assert.match(check('runtime', "import x from 'left-pad';").join(), /left-pad is not a dependency of tasklane/);
  assert.deepEqual(check('runtime', "import { fork } from 'node:child_process';\nimport Redis from 'ioredis';"), []);
});
