// The extension in a real VS Code extension host, on a copy of examples/: the analysis in the Tasks
// view, diagnostics and code lenses, running tasks through real worker processes on the embedded
// broker, the Runs view, breakpoints in a TypeScript task under each pool (threads, prefork too), and
// the Restricted Mode refusal (simulated here; restricted.restricted.test.ts has the real one), and
// the Runs view's progress bar and its Revoke and Terminate actions on a real worker.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { sendTask } from '../../../runtime/src/contract.ts';
import type { TaskResult } from '../../../runtime/src/protocol.ts';
import type { TasklaneApi } from '../../../client/src/extension.ts';
import { RunsView } from '../../../client/src/views/runsView.ts';
import { nextBreakpointStop, until } from '../helpers.ts';
import { processAlive } from '../../helpers/process.ts';
import { startRedis } from '../../helpers/redis.ts';

suite('Tasklane extension', () => {
  let api: TasklaneApi;
  let folder: vscode.WorkspaceFolder;
  let tasksFile: vscode.Uri;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<TasklaneApi | undefined>('tasklane.tasklane');
    assert.ok(ext, 'the extension is loaded');
    const started = performance.now();
    const exported = await ext.activate();
    assert.ok(exported, 'activate() returns the API when a folder is open');
    api = exported;
    await api.ready;
    console.log(`activation: activate() ${api.activationMs.toFixed(1)} ms; language server and first task list ready ${(performance.now() - started).toFixed(0)} ms after activation was requested`);
    folder = vscode.workspace.workspaceFolders![0];
    tasksFile = vscode.Uri.joinPath(folder.uri, 'src', 'tasks.ts');
  });

  suiteTeardown(async () => {
    await api?.local.stopAll();
  });

  test('the Tasks view lists the example tasks by queue, with their verdicts', async () => {
    await until('the three example tasks', () => api.tasks.all().length >= 3);
    const queues = api.tasks.getChildren();
    const byQueue = Object.fromEntries(queues.map((q) => [q.kind === 'queue' ? q.queue : '?', api.tasks.getChildren(q).map((t) => (t.kind === 'task' ? t.task.name : '?'))]));
    assert.deepEqual(byQueue, { cpu: ['images.blur'], default: ['reports.sensors'], io: ['http.probe'] });
    const describe = (name: string) => {
      const task = api.tasks.find(name)!;
      const item = api.tasks.getTreeItem({ kind: 'task', task });
      return { description: item.description, icon: (item.iconPath as vscode.ThemeIcon).id, context: item.contextValue, tooltip: (item.tooltip as vscode.MarkdownString).value };
    };
    const blur = describe('images.blur');
    assert.match(String(blur.description), /^CPU-bound( · blocking)? · threads × \d+$/);
    assert.equal(blur.icon, 'flame');
    assert.equal(blur.context, 'task.run.debug', 'Run and Debug are inline actions of task items');
    assert.match(blur.tooltip, /Suggested: `threads` pool/);
    assert.match(String(describe('http.probe').description), /^I\/O-bound · async × \d+$/);
    assert.match(String(describe('reports.sensors').description), /^(mixed CPU and I\/O|I\/O-bound|CPU-bound)( · blocking)? · \w+ × \d+$/);
  });

  test('clicking a task opens its definition', async () => {
    const task = api.tasks.find('images.blur')!;
    const item = api.tasks.getTreeItem({ kind: 'task', task });
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, tasksFile.fsPath);
    assert.equal(editor?.selection.active.line, task.line - 1);
  });

  test('code lenses show the verdict with Run and Debug over each task', async () => {
    await vscode.window.showTextDocument(tasksFile);
    const lenses = await until('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tasksFile, 10);
      return found?.some((l) => l.command?.command === 'tasklane.runTask') ? found : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^suggest: threads × \d+ · queue cpu — CPU-bound( · blocking)?$/.test(t)), titles.join(' | '));
    const run = lenses.find((l) => l.command?.command === 'tasklane.runTask' && l.command.arguments?.[0]?.name === 'images.blur');
    assert.ok(run, 'a Run lens over images.blur');
    assert.ok(lenses.some((l) => l.command?.command === 'tasklane.debugTask' && l.command.arguments?.[0]?.name === 'images.blur'));
  });

  test('a task that blocks the event loop on the async worker gets a diagnostic', async () => {
    // A new task file: files.* is routed to "io", served by the async pool, and readFileSync blocks.
    const file = vscode.Uri.joinPath(folder.uri, 'src', 'load.ts');
    const source = [
      "import { readFileSync } from 'node:fs';",
      "import { app } from './tasks.ts';",
      '',
      "export const load = app.task('files.load', (path: string) => readFileSync(path, 'utf8').length);",
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(file, Buffer.from(source));
    await vscode.window.showTextDocument(file);
    const diagnostics = await until('a tasklane diagnostic in src/load.ts', () => {
      const found = vscode.languages.getDiagnostics(file).filter((d) => d.source === 'tasklane');
      return found.length ? found : undefined;
    });
    assert.ok(diagnostics.some((d) => d.range.start.line === 3), diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
    await until('files.load in the Tasks view', () => api.tasks.find('files.load'));
  });

  test('running a task from the command returns its result', async () => {
    // http.probe does real I/O: a file of the workspace and an HTTP request (to a local server).
    const server: Server = createServer((_req, res) => res.end('hello, probe'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await vscode.commands.executeCommand('tasklane.startWorker', 'io');
      const result = await vscode.commands.executeCommand<TaskResult>('tasklane.runTask', { name: 'http.probe', args: [url, 'tasklane.config.json'] });
      assert.equal(result?.state, 'SUCCESS', JSON.stringify(result?.error));
      assert.deepEqual(result.result, { url, status: 200, bytes: 12, file: { bytes: (await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'tasklane.config.json'))).size, lines: 14 } });
      // The result opened in an editor.
      const shown = vscode.window.activeTextEditor?.document;
      assert.equal(shown?.uri.scheme, 'tasklane-run');
      assert.equal(JSON.parse(shown.getText()).result.status, 200);
    } finally {
      server.close();
    }
  });

  test('a worker started from the Workers view processes a task and its Runs entry appears', async () => {
    const node = api.workers.nodes().find((n) => n.name === 'cpu');
    assert.ok(node, 'the config worker "cpu" is listed');
    assert.equal(api.workers.getTreeItem(node).contextValue, 'worker.stopped');
    await vscode.commands.executeCommand('tasklane.startWorker', node);
    const live = await until('a heartbeat of worker cpu', () => api.workers.nodes().find((n) => n.name === 'cpu' && n.live));
    const item = api.workers.getTreeItem(live);
    assert.equal(item.contextValue, 'worker.running');
    assert.match(String(item.description), /^threads × 2 · cpu · idle · 0 done$/);
    assert.match(api.status.text, /embedded · 2 workers · \d+ in flight/);

    const result = await vscode.commands.executeCommand<TaskResult>('tasklane.runTask', { name: 'images.blur', args: [64, 48, 2] });
    assert.equal(result?.state, 'SUCCESS', JSON.stringify(result?.error));
    assert.deepEqual(Object.keys(result.result as object), ['width', 'height', 'radius', 'brightness', 'fingerprint']);
    const run = await until('the Runs entry with timings', () => api.runs.list().find((r) => r.id === result.id && r.state === 'SUCCESS' && r.wallMs !== undefined));
    assert.equal(run.task, 'images.blur');
    assert.equal(run.queue, 'cpu');
    assert.deepEqual(run.args, [64, 48, 2]);
    assert.match(String(run.worker), /cpu/);
    const runItem = new RunsView(api.runs).getTreeItem(run);
    assert.match(String(runItem.description), /^success · \d+(\.\d)?m?s · CPU \d+% · → \{"width":64/);
    assert.equal(runItem.command?.command, 'tasklane.openRun');
    await until('the worker to count the task', () => api.workers.nodes().find((n) => n.name === 'cpu' && n.live && n.live.processed >= 1));

    // Stop = warm shutdown: the process ends by itself, nothing is left behind.
    const pid = api.local.get('cpu')!.pid!;
    await vscode.commands.executeCommand('tasklane.stopWorker', 'cpu');
    assert.equal(api.local.get('cpu')?.state, 'stopped');
    assert.equal(processAlive(pid), false, 'the worker process is gone');
  });

  for (const pool of ['threads', 'prefork', 'solo', 'async'] as const) {
    test(`a breakpoint in a TypeScript task is hit under the ${pool} pool`, async () => {
      const text = (await vscode.workspace.openTextDocument(tasksFile)).getText().split('\n');
      const line = text.findIndex((l) => l.includes('const image = boxBlur(')); // 0-based
      assert.ok(line > 0, 'the breakpoint line exists in examples/src/tasks.ts');
      const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(tasksFile, new vscode.Position(line, 0)));
      vscode.debug.addBreakpoints([breakpoint]);
      const stopped = nextBreakpointStop();
      const started: vscode.DebugSession[] = [];
      const watch = vscode.debug.onDidStartDebugSession((s) => started.push(s));
      // The debuggee's output, for the log when the breakpoint is not hit.
      const console_ = vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type: string; event?: string; body?: { output?: string } }) => {
            if (m.type === 'event' && m.event === 'output' && m.body?.output) console.log(`[${session.name}] ${m.body.output.trimEnd()}`);
          },
        }),
      });
      try {
        const running = vscode.commands.executeCommand<TaskResult>('tasklane.debugTask', { name: 'images.blur', args: [16, 16, 1], pool });
        const at = await Promise.race([stopped, running.then((r) => {
          throw new Error(`the task ended before the breakpoint was hit: ${JSON.stringify(r)}`);
        })]);
        // A remote extension host (code-server) gets js-debug's paths as /vscode-remote://host:port/abs/path.
        assert.equal(at.path.replace(/^\/?vscode-remote:\/\/[^/]+/, ''), tasksFile.path, 'stopped in the TypeScript source');
        assert.equal(at.line, line + 1);
        const root = started.find((s) => !s.parentSession);
        assert.ok(root, 'the worker\'s debug session started');
        // js-debug takes "node" launches as its "pwa-node" type.
        assert.match(String(root.configuration.type), /^(pwa-)?node$/, 'the tasklane configuration resolved to a Node launch');
        assert.match(root.configuration.args.join(' '), new RegExp(`^worker --pool ${pool} --concurrency 1 --queues debug\\.[0-9a-f]{8}$`));
        // js-debug gives each thread and process its own session: the task ran in a worker thread
        // (threads), a forked child (prefork), or the worker process itself (solo, async).
        const where = { threads: /^\[worker \d+\]/, prefork: /^child\.mjs \[\d+\]/, solo: /^cli\.mjs \[\d+\]/, async: /^cli\.mjs \[\d+\]/ }[pool];
        assert.match(at.session.name, where);
        await at.session.customRequest('continue', { threadId: at.threadId });
        const result = await running;
        assert.equal(result?.state, 'SUCCESS', JSON.stringify(result?.error));
        assert.equal(result.pool, pool);
      } finally {
        // Whatever happened, no paused worker is left behind.
        await vscode.debug.stopDebugging();
        watch.dispose();
        console_.dispose();
        vscode.debug.removeBreakpoints([breakpoint]);
      }
    });
  }

  test('in an untrusted workspace (simulated) running, starting and debugging refuse', async () => {
    const before = api.runs.list().length;
    api.trust.simulateUntrusted = true;
    try {
      assert.equal(await vscode.commands.executeCommand('tasklane.runTask', { name: 'images.blur', args: [8, 8, 1] }), undefined);
      assert.equal(await vscode.commands.executeCommand('tasklane.debugTask', { name: 'images.blur', args: [8, 8, 1] }), undefined);
      assert.equal(await vscode.commands.executeCommand('tasklane.startWorker', 'cpu'), undefined);
      assert.equal(api.local.get('cpu')?.state, 'stopped', 'no worker was started');
      assert.equal(api.runs.list().length, before, 'nothing was sent');
      // The analysis keeps working.
      assert.ok(api.tasks.find('images.blur'));
    } finally {
      api.trust.simulateUntrusted = false;
    }
  });

  test('the Runs view shows a running task\'s progress and revokes it: Revoke a waiting run, Terminate a running one on a threads worker; refused untrusted', async () => {
    // A task module of its own (written into the workspace copy, removed after) and a worker for it,
    // started as the extension starts its workers: the runtime it would run, with Node.
    const module = vscode.Uri.joinPath(folder.uri, 'src', 'e2eSteps.ts');
    await vscode.workspace.fs.writeFile(module, Buffer.from(`import { createApp, context } from 'tasklane';
const app = createApp({ name: 'e2e-steps' });
export const steps = app.task('e2e.steps', async (steps: number) => {
  for (let done = 1; done <= steps; done++) {
    context().progress(done, steps * 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => context().signal.addEventListener('abort', resolve, { once: true }));
  context().signal.throwIfAborted();
});
`));
    const env: NodeJS.ProcessEnv = { ...process.env, TASKLANE_BROKER: await api.connection.workerUrl(), NO_COLOR: '1' };
    delete env.NODE_OPTIONS;
    const worker = spawn(process.execPath, [api.local.runtime().cliPath, 'worker', '-A', 'src/e2eSteps.ts', '-P', 'threads', '-c', '1', '-Q', 'e2e-steps', '-n', 'e2e-steps'], {
      cwd: folder.uri.fsPath, env, stdio: 'ignore', detached: true,
    });
    try {
      await until('the steps worker to beat', () => api.liveWorkers().find((w) => w.name === 'e2e-steps'));
      const broker = await api.connection.connect();
      const running = (await sendTask(broker, 'e2e.steps', [5], { apply: { queue: 'e2e-steps' } })).message;
      const waiting = (await sendTask(broker, 'e2e.steps', [5], { apply: { queue: 'e2e-steps' } })).message;
      const view = api.runsView;
      const run = await until('the progress of the running task', () => api.runs.list().find((r) => r.id === running.id && r.progress?.done === 5));
      const item = view.getTreeItem(run);
      assert.match(String(item.description), /^started · ▰▰▰▰▰▱▱▱▱▱ 50%/);
      assert.equal(item.contextValue, 'run.revocable.terminable', 'a threads worker can kill it: Revoke and Terminate');
      const queued = await until('the waiting run', () => api.runs.get(waiting.id));
      assert.equal(view.getTreeItem(queued).contextValue, 'run.revocable', 'not started: Revoke only');

      api.trust.simulateUntrusted = true;
      try {
        assert.equal(await vscode.commands.executeCommand('tasklane.terminateRun', run), false, 'refused in Restricted Mode');
        assert.equal(await vscode.commands.executeCommand('tasklane.revokeRun', queued), false);
      } finally {
        api.trust.simulateUntrusted = false;
      }
      assert.equal(api.runs.get(running.id)?.state, 'STARTED', 'still running');

      assert.equal(await vscode.commands.executeCommand('tasklane.revokeRun', api.runs.get(waiting.id)), true);
      assert.equal(await vscode.commands.executeCommand('tasklane.terminateRun', api.runs.get(running.id)), true);
      const killed = await until('the running task revoked', () => [api.runs.get(running.id)].find((r) => r?.state === 'REVOKED'));
      assert.equal(view.getTreeItem(killed).contextValue, 'run', 'finished: no Revoke');
      assert.doesNotMatch(String(view.getTreeItem(killed).description), /▰/, 'no bar once ended');
      const result = await until('the stored outcome', () => broker.getResult(running.id));
      assert.equal(result.state, 'REVOKED');
      assert.match(String(result.error?.message), /revoked while running/);
      const dropped = await until('the waiting task revoked', () => broker.getResult(waiting.id));
      assert.equal(dropped.state, 'REVOKED');
      assert.match(String(dropped.error?.message), /revoked before it started/);
    } finally {
      worker.kill('SIGTERM');
      await vscode.workspace.fs.delete(module);
    }
  });

  test('with tasklane.brokerUrl on Redis and its password in SecretStorage, tasks run through Redis', async () => {
    const redis = await startRedis(['--requirepass', 'e2e-s3cret']);
    const settings = vscode.workspace.getConfiguration('tasklane');
    try {
      await api.connection.setPassword('e2e-s3cret');
      await settings.update('brokerUrl', `${redis.url}/0`, vscode.ConfigurationTarget.Workspace);
      await until('the editor connected to Redis', () => api.connection.broker?.displayUrl.startsWith('redis://'));
      assert.ok(!api.connection.displayUrl.includes('e2e-s3cret'), `the shown URL has no password: ${api.connection.displayUrl}`);
      assert.match(api.status.text, /redis · /);
      await vscode.commands.executeCommand('tasklane.startWorker', 'cpu');
      const result = await vscode.commands.executeCommand<TaskResult>('tasklane.runTask', { name: 'images.blur', args: [8, 8, 1] });
      assert.equal(result?.state, 'SUCCESS', JSON.stringify(result?.error));
      assert.equal((result.result as { width: number }).width, 8);
    } finally {
      await api.local.stopAll();
      await settings.update('brokerUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await api.connection.setPassword(undefined);
      await redis.stop();
    }
  });

  test('an invalid tasklane.config.json says which field to fix, and recovers when fixed', async () => {
    const file = vscode.Uri.joinPath(folder.uri, 'tasklane.config.json');
    const original = await vscode.workspace.fs.readFile(file);
    try {
      await vscode.workspace.fs.writeFile(file, Buffer.from('{ "app": "src/tasks.ts", "workers": { "cpu": { "pool": "fibers" } } }'));
      const error = await until('the config error', () => api.project.error);
      assert.match(error, /workers\.cpu\.pool must be one of prefork, threads, solo, async/);
      assert.deepEqual(api.workers.nodes().filter((n) => n.config), [], 'no worker from an unusable config');
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
    }
    await until('the config to load again', () => !api.project.error && api.project.workerNames().length === 2);
  });

  test("the Tasks view lists the config's and the code's schedules with their next fire time", async () => {
    const file = vscode.Uri.joinPath(folder.uri, 'tasklane.config.json');
    const original = await vscode.workspace.fs.readFile(file);
    const code = vscode.Uri.joinPath(folder.uri, 'src', 'schedules.ts');
    const scheduleNodes = () => api.tasks.getChildren().filter((n) => n.kind === 'schedules');
    try {
      await vscode.workspace.fs.writeFile(code, Buffer.from(`import { app, blur } from './tasks';\napp.schedule('thumbnails', { task: blur, every: '10m', args: [64, 64, 2] });\n`));
      const [found] = await until('the schedule in code', () => scheduleNodes().length ? scheduleNodes() : undefined);
      const thumbnails = api.tasks.getTreeItem(api.tasks.getChildren(found)[0]);
      assert.equal(thumbnails.label, 'thumbnails');
      assert.match(String(thumbnails.description), /^images\.blur · every 10m · next .+ \(in \d+ ?(s|min|h)\)$/);
      assert.equal(thumbnails.command?.command, 'vscode.open', 'clicking it opens its app.schedule call');
      await vscode.workspace.fs.delete(code);
      await until('the schedule in code to go', () => scheduleNodes().length === 0);

      const config = JSON.parse(Buffer.from(original).toString('utf8'));
      config.schedules = {
        hourly: { task: 'reports.sensors', every: '1h' },
        'paris-morning': { task: 'http.probe', cron: '0 9 * * 1-5', timezone: 'Europe/Paris', args: ['https://example.com'] },
      };
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(config)));
      const [group] = await until('the schedules in the Tasks view', () => scheduleNodes().length ? scheduleNodes() : undefined);
      const rows = api.tasks.getChildren(group).map((n) => api.tasks.getTreeItem(n));
      assert.deepEqual(rows.map((r) => r.label), ['hourly', 'paris-morning']);
      assert.match(String(rows[0].description), /^reports\.sensors · every 1h · next .+ \(in \d+ ?(s|min|h)\)$/);
      assert.match(String(rows[1].description), /^http\.probe · cron 0 9 \* \* 1-5 \(Europe\/Paris\) · next .+ \(in \d+ ?(s|min|h|days)\)$/);
      assert.match((rows[1].tooltip as vscode.MarkdownString).value, /Next: \d{4}-\d\d-\d\dT0[78]:00:00\.000Z/);
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
      await vscode.workspace.fs.delete(code).then(undefined, () => undefined);
    }
    await until('the schedules to go with them', () => scheduleNodes().length === 0);
  });

  test('a CPU-heavy task on the async worker: the hover shows what its runs measured, and a diagnostic says they disagree', async () => {
    // files.* is routed to "io", consumed by the async worker. The worker loads the config's app:
    // for this test, a module that adds the task to the example's.
    const config = vscode.Uri.joinPath(folder.uri, 'tasklane.config.json');
    const original = await vscode.workspace.fs.readFile(config);
    const file = vscode.Uri.joinPath(folder.uri, 'src', 'checksums.ts');
    const source = [
      "import { app } from './tasks.ts';",
      '',
      'export const checksum = app.task(\'files.checksum\', (rounds: number) => {',
      '  let hash = 0;',
      '  for (let i = 0; i < rounds; i++) hash = (hash * 31 + i) | 0;',
      '  return hash;',
      '});',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(file, Buffer.from(source));
    try {
      const withApp = JSON.parse(Buffer.from(original).toString('utf8')) as { app: string };
      withApp.app = 'src/checksums.ts';
      await vscode.workspace.fs.writeFile(config, Buffer.from(JSON.stringify(withApp, null, 2)));
      await until('the config naming src/checksums.ts', () => api.project.loaded?.config.app === 'src/checksums.ts');
      await vscode.commands.executeCommand('tasklane.startWorker', 'io');
      await until('a heartbeat of worker io', () => api.workers.nodes().find((n) => n.name === 'io' && n.live));
      const broker = await api.connection.connect();
      const sent = await Promise.all(Array.from({ length: 12 }, () => sendTask(broker, 'files.checksum', [20_000_000], { routes: { 'files.*': 'io' } })));
      for (const { result } of sent) await result.get({ timeout: '120s' });

      await vscode.window.showTextDocument(file);
      const line = source.split('\n').findIndex((l) => l.includes("'files.checksum'"));
      const position = new vscode.Position(line, source.split('\n')[line].indexOf('files.checksum') + 2);
      // The worker hands its runs to the broker with its next heartbeat; the extension reads them then.
      const measured = await until('the measured line in the hover', async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file, position);
        const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
        return /Measured: \d+ % CPU over 12 runs \(median [\d.]+m?s\)/.exec(text)?.[0];
      });
      const share = Number(/Measured: (\d+) %/.exec(measured)![1]);
      assert.ok(share >= 70, `a busy loop measured ${share} % CPU`);
      const diagnostic = await until('the measured-vs-predicted diagnostic', () => vscode.languages.getDiagnostics(file)
        .find((d) => d.source === 'tasklane' && d.code === 'measured-disagrees'));
      assert.match(diagnostic.message, new RegExp(`Task 'files\\.checksum' runs on an async worker \\(queue 'io'\\) and the analysis predicts [^,]+, but its last 12 runs measured ${share} % CPU`));
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    } finally {
      await api.local.stopAll();
      await vscode.workspace.fs.writeFile(config, original);
      await vscode.workspace.fs.delete(file);
    }
    await until('the config to load again', () => api.project.loaded?.config.app === 'src/tasks.ts');
  });

  // Last: it ends the local workers for good, as deactivation (closing VS Code) does.
  test('deactivation leaves no worker process behind', async () => {
    await vscode.commands.executeCommand('tasklane.startAllWorkers');
    await until('both workers to beat', () => api.workers.nodes().filter((n) => n.live).length === 2);
    const pids = api.local.running().map((w) => w.pid!);
    assert.equal(pids.length, 2);
    api.local.dispose();
    await until('the worker processes to end', () => pids.every((pid) => !processAlive(pid)), 10_000);
  });
});
