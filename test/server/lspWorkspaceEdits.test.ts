// The analysis follows edits to how the workspace resolves its own names: package.json
// ("workspaces") and tsconfig.json ("paths") changed on disk reach the server as watched-file
// changes, and the tasks that import through them are judged again.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { TasksRequest, type TaskAnalysis } from '../../server/src/protocol.ts';
import { LspClient } from './lspClient.ts';

const TIMEOUT = { timeout: 180_000 };

describe('language server: package.json and tsconfig.json edits re-resolve', TIMEOUT, () => {
  const root = mkdtempSync(join(tmpdir(), 'tasklane-lsp-resolve-'));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  let client: LspClient;

  const changed = (file: string) => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: [{ uri: pathToFileURL(join(root, file)).href, type: FileChangeType.Changed }],
  });
  const task = async (name: string): Promise<TaskAnalysis> => {
    const tasks = await client.connection.sendRequest(TasksRequest, {});
    const found = tasks.find((t) => t.name === name);
    assert.ok(found, `task ${name} in ${tasks.map((t) => t.name).join(', ')}`);
    return found;
  };
  /** The server answers from the latest analysis; a reset one is analysed again on the next request. */
  const until = async (name: string, accept: (t: TaskAnalysis) => boolean): Promise<TaskAnalysis> => {
    for (let tries = 0; ; tries++) {
      const found = await task(name);
      if (accept(found) || tries > 100) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  before(async () => {
    write('package.json', JSON.stringify({ name: 'root', private: true }));
    write('packages/shared/package.json', JSON.stringify({ name: '@org/shared', main: 'src/index.ts' }));
    write('packages/shared/src/index.ts', "import { execSync } from 'node:child_process';\nexport function build(): void {\n  execSync('make all');\n}\n");
    write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true } }));
    write('app/tasks.ts', [
      "import { createApp } from 'tasklane';",
      "import { build } from '@org/shared';",
      "import { build as aliased } from '#shared';",
      "export const app = createApp({ name: 'mono' });",
      "export const byPackage = app.task('mono.byPackage', async () => { build(); });",
      "export const byAlias = app.task('mono.byAlias', async () => { aliased(); });",
      '',
    ].join('\n'));
    client = await LspClient.start({ root });
  });

  after(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('adding "workspaces" to package.json makes the workspace package resolve', TIMEOUT, async () => {
    assert.equal((await task('mono.byPackage')).blocking, false, 'unresolved: assumed to wait on I/O');
    write('package.json', JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }));
    await changed('package.json');
    const after = await until('mono.byPackage', (t) => t.blocking);
    assert.equal(after.blocking, true, `execSync one call away in @org/shared: ${after.breakdown}`);
  });

  it('adding a "paths" alias to tsconfig.json makes the alias resolve', TIMEOUT, async () => {
    assert.equal((await task('mono.byAlias')).blocking, false);
    write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '#shared': ['packages/shared/src/index.ts'] } } }));
    await changed('tsconfig.json');
    const after = await until('mono.byAlias', (t) => t.blocking);
    assert.equal(after.blocking, true, after.breakdown);
  });
});
