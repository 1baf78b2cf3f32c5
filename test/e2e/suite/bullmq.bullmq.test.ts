// The extension on a BullMQ project (a copy of test/fixtures/bullmq, no tasklane.config.json), with a
// real redis-server this suite starts: rows named after the Workers, a job run from the sidebar to
// the project's own worker and back, breakpoints in an inline and a sandboxed processor under
// Debug, the suggestions document, and never a .tasklane/ folder.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { TaskResult } from '../../../runtime/src/protocol.ts';
import type { TasklaneApi } from '../../../client/src/extension.ts';
import type { TaskAnalysis } from '../../../analyzer/src/types.ts';
import { RunsView } from '../../../client/src/views/runsView.ts';
import { nextBreakpointStop, until } from '../helpers.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';

suite('Tasklane on a BullMQ project', () => {
  let api: TasklaneApi;
  let folder: vscode.WorkspaceFolder;
  let redis: RedisServer;
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  const worker = (binding: string) => api.tasks.all().find((t) => t.binding === binding);
  const target = (task: TaskAnalysis, data: unknown) => ({ name: task.name, file: task.file, line: task.line, data });

  suiteSetup(async () => {
    const exported = await vscode.extensions.getExtension<TasklaneApi | undefined>('tasklane.tasklane')!.activate();
    assert.ok(exported);
    api = exported;
    await api.ready;
    folder = vscode.workspace.workspaceFolders![0];
    redis = await startRedis();
    // The project's Redis is where this suite started it: written into the Worker's literal connection.
    const file = vscode.Uri.joinPath(folder.uri, 'src', 'workers.ts');
    const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString().replace('port: 6379', `port: ${redis.port}`);
    await vscode.workspace.fs.writeFile(file, Buffer.from(text));
    await until('the analysis to read the new port', () => worker('firstWorker')?.bullmq?.connection?.port === redis.port);
  });

  suiteTeardown(async () => {
    await vscode.debug.stopDebugging();
    await redis?.stop();
  });

  test('rows name each Worker by its binding and file, with the concurrency the code sets and only the actions that work', async () => {
    await until('three Workers', () => api.tasks.all().length === 3);
    const items = Object.fromEntries(api.tasks.all().map((task) => [task.binding, api.tasks.getTreeItem({ kind: 'task', task })]));
    assert.equal(items.firstWorker.label, 'firstWorker · workers.ts:8');
    assert.equal(items.startAuditWorker.label, 'startAuditWorker · audit.ts:5');
    assert.match(String(items.firstWorker.description), /^I\/O-bound · BullMQ default 1 → suggest inline × \d+$/);
    assert.match(String(items.startAuditWorker.description), /^I\/O-bound · concurrency 100 → suggest inline × \d+$/);
    assert.equal(items.firstWorker.contextValue, 'task.run.debug');
    assert.equal(items.startAuditWorker.contextValue, 'task.run', 'a Worker made inside a function is not started by running its file');
    assert.match((items.startAuditWorker.tooltip as vscode.MarkdownString).value, /Debug is not offered: the Worker is created inside `startAuditWorker`/);
    assert.equal(items.firstWorker.resourceUri, undefined, 'no file decorations: other sources\' diagnostics do not colour the row');
    const queues = api.tasks.getChildren().map((q) => (q.kind === 'queue' ? q.queue : '?'));
    assert.deepEqual(queues, ['backupQueue', 'reports']);
  });

  test('a job run from the sidebar reaches the project\'s worker on its Redis, and its result shows in the Runs view', async () => {
    // The user's own worker process, started as they would.
    const child: ChildProcess = spawn(process.execPath, ['--import', tsx, 'src/workers.ts'], { cwd: folder.uri.fsPath, stdio: 'ignore' });
    try {
      const task = worker('firstWorker')!;
      const result = await vscode.commands.executeCommand<TaskResult>('tasklane.runTask', target(task, { id: 'nightly' }));
      assert.equal(result?.state, 'SUCCESS', JSON.stringify(result?.error));
      assert.equal((result.result as { id: string }).id, 'nightly');
      const run = api.runs.get(result.id)!;
      assert.equal(run.task, 'firstWorker · workers.ts:8');
      assert.deepEqual(run.data, { id: 'nightly' });
      assert.match(String(new RunsView(api.runs).getTreeItem(run).description), /^success · \d+(\.\d)?m?s · → \{"id":"nightly"/);
      const shown = vscode.window.activeTextEditor?.document;
      assert.equal(shown?.uri.scheme, 'tasklane-run');
      assert.equal(JSON.parse(shown.getText()).result.id, 'nightly');
    } finally {
      child.kill();
    }
  });

  for (const [binding, file, marker, data] of [
    ['firstWorker', 'workers.ts', 'const backup = await findBackup(', { id: 'debugged' }],
    ['reportWorker', 'report.processor.ts', 'for (let i = 0;', { rows: 10 }],
  ] as const) {
    test(`Debug starts the project's worker file and a breakpoint in ${file} is hit`, async () => {
      const uri = vscode.Uri.joinPath(folder.uri, 'src', file);
      const line = (await vscode.workspace.openTextDocument(uri)).getText().split('\n').findIndex((l) => l.includes(marker));
      assert.ok(line > 0);
      const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line, 0)));
      vscode.debug.addBreakpoints([breakpoint]);
      const stopped = nextBreakpointStop();
      try {
        const running = vscode.commands.executeCommand<TaskResult>('tasklane.debugTask', target(worker(binding)!, data));
        const at = await Promise.race([stopped, running.then((r) => {
          throw new Error(`the job ended before the breakpoint was hit: ${JSON.stringify(r)}`);
        })]);
        assert.equal(at.path.replace(/^\/?vscode-remote:\/\/[^/]+/, ''), uri.path, 'stopped in the TypeScript source');
        assert.equal(at.line, line + 1);
        await at.session.customRequest('continue', { threadId: at.threadId });
        const result = await running;
        assert.equal(result?.state, 'SUCCESS', JSON.stringify(result?.error));
      } finally {
        await vscode.debug.stopDebugging();
        vscode.debug.removeBreakpoints([breakpoint]);
      }
    });
  }

  test('creating the config from the analysis writes the Workers\' suggestions, and no tasklane.config.json', async () => {
    await vscode.commands.executeCommand('tasklane.createConfig');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.languageId, 'markdown');
    assert.equal(document.isUntitled, true);
    const text = document.getText();
    assert.match(text, /^# Queue workers \(BullMQ, Bull, NestJS\): suggestions from Tasklane/);
    assert.match(text, /## firstWorker · workers\.ts:8 — queue `backupQueue`[\s\S]*- today: inline, BullMQ default 1\n- suggested: \*\*inline, concurrency \d+\*\*\n- why: I\/O-bound/);
    assert.match(text, /## reportWorker · workers\.ts:14 — queue `reports`/);
    assert.equal(existsSync(join(folder.uri.fsPath, 'tasklane.config.json')), false);
  });

  // Last: nothing above needed Tasklane's embedded broker.
  test('no .tasklane/ folder was created', () => {
    assert.equal(existsSync(join(folder.uri.fsPath, '.tasklane')), false);
  });
});
