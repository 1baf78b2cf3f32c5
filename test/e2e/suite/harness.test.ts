// Smoke test of the harness itself: this suite runs in a real VS Code's Node extension host, with
// the Tasklane extension loaded from the repository, and the extension activates.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('harness', () => {
  test('runs in a Node extension host with a workspace folder open', () => {
    assert.ok(process.versions.node, 'Node extension host');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the examples workspace is open');
    console.log(`VS Code ${vscode.version}, Node ${process.version}, workspace ${folder.uri.fsPath}`);
  });

  test('the Tasklane extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension('tasklane.tasklane');
    assert.ok(ext, 'extension tasklane.tasklane is loaded from extensionDevelopmentPath');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
