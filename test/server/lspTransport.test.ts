// The transport the extension uses: vscode-languageclient forks the server with --node-ipc and
// speaks JSON-RPC over Node's IPC channel. The other LSP tests use --stdio.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TasksRequest } from '../../server/src/protocol.ts';
import { fixtureUri, LspClient } from './lspClient.ts';

test('serves diagnostics and tasklane/tasks over Node IPC', { timeout: 180_000 }, async () => {
  const client = await LspClient.start({ transport: 'ipc' });
  try {
    const uri = await client.open('src/tasks.ts');
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.ok(published.diagnostics.some((d) => d.code === 'blocking-on-async'));
    const tasks = await client.connection.sendRequest(TasksRequest, { folder: fixtureUri('') });
    assert.equal(tasks.length, 5);
  } finally {
    await client.stop();
  }
});
