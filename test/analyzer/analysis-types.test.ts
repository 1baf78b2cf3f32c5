// node_modules installed: the type checker names the package behind a value syntax cannot trace
// (a client returned by a package the knowledge tables do not list). Without node_modules, the
// same code still analyses, from syntax alone.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import { packageOfPath } from '../../analyzer/src/type-origins.ts';
import { tempWorkspace } from './analysis-helpers.ts';

const ws = tempWorkspace({
  'node_modules/markdown-it/package.json': JSON.stringify({ name: 'markdown-it', version: '14.0.0', types: 'index.d.ts' }),
  'node_modules/markdown-it/index.d.ts': 'export default class MarkdownIt { render(src: string): string; }\n',
  'node_modules/doc-kit/package.json': JSON.stringify({ name: 'doc-kit', version: '1.0.0', types: 'index.d.ts' }),
  'node_modules/doc-kit/index.d.ts': "import MarkdownIt from 'markdown-it';\nexport declare function createRenderer(): MarkdownIt;\n",
  'src/tasks.ts': [
    `import { createApp } from 'tasklane';`,
    `import { createRenderer } from 'doc-kit';`,
    `const app = createApp({ name: 'docs' });`,
    `const md = createRenderer();`,
    `app.task('docs.render', (src: string) => md.render(src));`,
    '',
  ].join('\n'),
});
after(() => ws.remove());

test('with node_modules: the renderer an unknown package returns is known by its type (markdown-it)', () => {
  const [task] = createAnalysisService({ root: ws.root }).analyzeAll();
  assert.equal(task.kind, 'cpu');
  assert.equal(task.blocking, true);
  assert.match(task.evidence[0].message, /md\.render\(\) \(markdown-it\)/);
});

test('without node_modules: the same code, from syntax alone, falls back to the assumption for unknown packages', () => {
  rmSync(ws.path('node_modules'), { recursive: true });
  const [task] = createAnalysisService({ root: ws.root }).analyzeAll();
  assert.equal(task.name, 'docs.render');
  assert.equal(task.kind, 'io');
  assert.match(task.evidence[0].message, /^waits on .* — source not followed$/);
});

test('packages from declaration paths', () => {
  assert.equal(packageOfPath('/w/node_modules/@types/pg/index.d.ts'), 'pg');
  assert.equal(packageOfPath('/w/node_modules/@aws-sdk/client-s3/dist-types/index.d.ts'), '@aws-sdk/client-s3');
  assert.equal(packageOfPath('/w/node_modules/a/node_modules/ioredis/built/index.d.ts'), 'ioredis');
  assert.equal(packageOfPath('/w/node_modules/@types/babel__core/index.d.ts'), '@babel/core');
  assert.equal(packageOfPath('/w/node_modules/@types/node/fs.d.ts'), undefined);
  assert.equal(packageOfPath('/w/src/db.ts'), undefined);
});
