// Resolution across a monorepo without node_modules: tsconfig paths/baseUrl through extends,
// npm/yarn/pnpm workspace packages through exports/types/main (build output mapped back to
// sources, a referenced project's outDir to its rootDir), from the root or from one package.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import { pnpmPackages } from '../../analyzer/src/monorepo.ts';
import type { TaskAnalysis } from '../../analyzer/src/types.ts';
import { tempWorkspace, type TempWorkspace } from './analysis-helpers.ts';

const workspaces: TempWorkspace[] = [];
after(() => { for (const ws of workspaces) ws.remove(); });

function analyse(files: Record<string, string>, root = ''): Map<string, TaskAnalysis> {
  const ws = tempWorkspace(files);
  workspaces.push(ws);
  return new Map(createAnalysisService({ root: ws.path(root), cores: 2 }).analyzeAll().map((t) => [t.name, t]));
}

const task = (name: string, specifier: string, call: string) => `import { createApp } from 'tasklane';
import * as lib from '${specifier}';
const app = createApp({ name: 'm' });
app.task('${name}', async (x: string) => lib.${call}(x));
`;
const EXEC = `import { execSync } from 'node:child_process';\nexport function run(cmd: string) { return execSync(cmd).toString(); }\n`;
const blockingIo = (t: TaskAnalysis | undefined) => t && t.kind === 'io' && t.blocking && t.pool === 'threads';

test('yarn workspaces (object form) and subpath exports with patterns, analysed from one package', () => {
  const tasks = analyse({
    'package.json': JSON.stringify({ private: true, workspaces: { packages: ['libs/*', 'apps/*'] } }),
    'libs/tools/package.json': JSON.stringify({ name: '@org/tools', exports: { './*': { types: './dist/*.d.ts', require: './dist/*.js' } } }),
    'libs/tools/src/shell.ts': EXEC,
    'apps/api/package.json': JSON.stringify({ name: '@org/api' }),
    'apps/api/src/tasks.ts': task('m.shell', '@org/tools/shell', 'run'),
  }, 'apps/api');
  assert.ok(blockingIo(tasks.get('m.shell')), JSON.stringify(tasks.get('m.shell')));
});

test('a workspace package without exports: types/main into dist map back to src; `exports` as a plain string', () => {
  const tasks = analyse({
    'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
    'packages/a/package.json': JSON.stringify({ name: 'pkg-a', main: 'dist/index.js', types: 'dist/index.d.ts' }),
    'packages/a/src/index.ts': EXEC,
    'packages/b/package.json': JSON.stringify({ name: 'pkg-b', exports: './build/main.js' }),
    'packages/b/src/main.ts': EXEC,
    'packages/app/src/a.ts': task('m.a', 'pkg-a', 'run'),
    'packages/app/src/b.ts': task('m.b', 'pkg-b', 'run'),
  });
  assert.ok(blockingIo(tasks.get('m.a')), JSON.stringify(tasks.get('m.a')?.evidence));
  assert.ok(blockingIo(tasks.get('m.b')), JSON.stringify(tasks.get('m.b')?.evidence));
});

test('pnpm-workspace.yaml; a relative import into a referenced project\'s outDir reaches its rootDir', () => {
  assert.deepEqual(pnpmPackages(`# comment\npackages:\n  - 'packages/*'\n  - "apps/**" # all apps\n  - tools\ncatalog:\n  - x\n`), ['packages/*', 'apps/**', 'tools']);
  const tasks = analyse({
    'pnpm-workspace.yaml': `packages:\n  - 'packages/*'\n`,
    'packages/core/package.json': JSON.stringify({ name: '@p/core', main: 'out/index.js' }),
    'packages/core/tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'out', rootDir: 'lib-src' } }),
    'packages/core/lib-src/index.ts': EXEC,
    'packages/app/tsconfig.json': JSON.stringify({ references: [{ path: '../core' }] }),
    'packages/app/src/by-name.ts': task('m.name', '@p/core', 'run'),
    'packages/app/src/by-path.ts': task('m.path', '../../core/out/index.js', 'run'),
  });
  assert.ok(blockingIo(tasks.get('m.name')), JSON.stringify(tasks.get('m.name')?.evidence));
  assert.ok(blockingIo(tasks.get('m.path')), JSON.stringify(tasks.get('m.path')?.evidence));
});

test('tsconfig paths: exact and wildcard aliases, baseUrl, extends from a shared config package', () => {
  const tasks = analyse({
    'package.json': JSON.stringify({ workspaces: ['config/*', 'app'] }),
    'config/tsconfig/package.json': JSON.stringify({ name: '@org/tsconfig' }),
    'config/tsconfig/base.json': JSON.stringify({ compilerOptions: { strict: true } }),
    'app/package.json': JSON.stringify({ name: 'app' }),
    // JSONC, as tsconfig files are written.
    'app/tsconfig.json': `{\n  // aliases\n  "extends": "@org/tsconfig/base.json",\n  "compilerOptions": { "baseUrl": "src", "paths": { "~/*": ["./*"], "#shell": ["./util/shell.ts"] } }\n}\n`,
    'app/src/util/shell.ts': EXEC,
    'app/src/tasks/wild.ts': task('m.wild', '~/util/shell', 'run'),
    'app/src/tasks/exact.ts': task('m.exact', '#shell', 'run'),
    'app/src/tasks/base.ts': task('m.base', 'util/shell', 'run'),
  });
  for (const name of ['m.wild', 'm.exact', 'm.base']) assert.ok(blockingIo(tasks.get(name)), `${name}: ${JSON.stringify(tasks.get(name)?.evidence)}`);
});

test('a folder inside someone else\'s monorepo is a project of its own; npm packages stay packages', () => {
  const tasks = analyse({
    'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
    'packages/pg/package.json': JSON.stringify({ name: 'pg' }),
    'packages/pg/index.ts': EXEC,
    'fixtures/one/tasks.ts': task('m.pg', 'pg', 'query'),
  }, 'fixtures/one');
  const pg = tasks.get('m.pg')!;
  assert.deepEqual([pg.kind, pg.blocking, pg.pool], ['io', false, 'async'], 'pg is the PostgreSQL client here, not the workspace package');
});
