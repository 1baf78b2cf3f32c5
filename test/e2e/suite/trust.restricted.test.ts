// Run by scripts/e2e.mjs in a second VS Code with Workspace Trust on: the examples workspace opens
// in Restricted Mode. The analysis works; running a task, starting a worker and debugging refuse.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TasklaneApi } from '../../../client/src/extension.ts';

suite('Tasklane in Restricted Mode', () => {
  let api: TasklaneApi;

  suiteSetup(async () => {
    const exported = await vscode.extensions.getExtension<TasklaneApi | undefined>('tasklane.tasklane')!.activate();
    assert.ok(exported);
    api = exported;
    await api.ready;
  });

  test('the workspace is really untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(api.trust.trusted, false);
  });

  test('the analysis still lists the tasks', async () => {
    const deadline = Date.now() + 90_000;
    while (!api.tasks.find('images.blur') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(api.tasks.find('images.blur'), 'images.blur is listed');
  });

  test('run, start and debug refuse and nothing runs', async () => {
    assert.equal(await vscode.commands.executeCommand('tasklane.runTask', { name: 'images.blur', args: [8, 8, 1] }), undefined);
    assert.equal(await vscode.commands.executeCommand('tasklane.startWorker', 'cpu'), undefined);
    assert.equal(await vscode.commands.executeCommand('tasklane.debugTask', { name: 'images.blur', args: [8, 8, 1] }), undefined);
    assert.deepEqual(api.local.running(), []);
    assert.deepEqual(api.runs.list(), []);
  });
});
