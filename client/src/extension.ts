// Activation: wires the language client, the broker connection, local workers, the sidebar views,
// the run/debug commands, the status bar and the debug configuration provider together. What
// activate() returns is the extension's API (tests reach the parts through it).
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as vscode from 'vscode';
import type { WorkerInfo } from 'tasklane/contract';
import { BrokerConnection } from './brokerConnection.ts';
import { suggestionsDocument } from './bullmq.ts';
import { BullmqRunner } from './bullmqRunner.ts';
import { configFromAnalysis } from './configFromAnalysis.ts';
import { startDebugWorker, WorkerDebugConfigurationProvider } from './debug.ts';
import { AnalysisClient } from './languageClient.ts';
import { MeasuredRuns } from './measured.ts';
import { pickFolder, Project } from './project.ts';
import { RUN_SCHEME, RunDocuments } from './runDocuments.ts';
import { revokeRun } from './revokeRun.ts';
import { RunStore, type Run } from './runs.ts';
import { chooseRuntime, describeRuntime } from './runtimeChoice.ts';
import { TaskRunner, type RunTarget } from './runTask.ts';
import { readSettings } from './settings.ts';
import { StatusBar } from './statusBar.ts';
import { Trust } from './trust.ts';
import { scheduleRows } from './schedules.ts';
import { TasksView, type TaskNode } from './views/tasksView.ts';
import { RunsView } from './views/runsView.ts';
import { WorkersView, type WorkerNode } from './views/workersView.ts';
import { LocalWorkers } from './workers.ts';

export interface TasklaneApi {
  /** Milliseconds activate() took (the language server keeps starting after: see `ready`). */
  activationMs: number;
  /** Resolves when the language server runs and the task list is loaded. */
  ready: Promise<void>;
  trust: Trust;
  analysis: AnalysisClient;
  project: Project;
  connection: BrokerConnection;
  tasks: TasksView;
  workers: WorkersView;
  runs: RunStore;
  runsView: RunsView;
  local: LocalWorkers;
  status: StatusBar;
  runner: TaskRunner;
  bullmq: BullmqRunner;
  liveWorkers(): WorkerInfo[];
}

const LIVE_POLL_MS = 3_000;

export function activate(context: vscode.ExtensionContext): TasklaneApi | undefined {
  const started = performance.now();
  const analysis = new AnalysisClient(context);
  context.subscriptions.push(analysis);
  const folder = pickFolder();
  if (!folder) {
    // No folder: analysis of open files only; the sidebar's actions need a workspace.
    void analysis.start();
    return undefined;
  }

  const trust = new Trust();
  const project = new Project(folder);
  const connection = new BrokerConnection(project, context.secrets);
  const runs = new RunStore();
  const bundledCli = context.asAbsolutePath('dist/runtime/cli.mjs');
  const runtime = () => chooseRuntime(project.root, bundledCli);
  const local = new LocalWorkers(project, connection, runtime);
  const documents = new RunDocuments(runs, () => connection.broker);
  const measured = new MeasuredRuns(connection, (found) => analysis.sendMeasured(folder, found));
  let live: WorkerInfo[] = [];
  const tasks = new TasksView(() => analysis.tasks(folder), () => analysis.schedules(folder),
    (code, now) => scheduleRows(project.loaded && { path: project.loaded.path, schedules: project.loaded.config.schedules }, code, now));
  const runsView = new RunsView(runs, (name) => live.find((w) => w.name === name)?.pool);
  const workers = new WorkersView({
    configured: () => project.loaded?.config.workers ?? {},
    live: () => live,
    local: (name) => local.get(name),
    runtime,
  });
  const status = new StatusBar({
    broker: () => ({ url: connection.broker ? connection.displayUrl : 'not connected', error: connection.error }),
    workersRunning: () => local.running().length + live.filter((w) => !local.running().some((l) => l.pid === w.pid)).length,
    inFlight: () => runs.inFlight(),
  });
  const debugProvider = new WorkerDebugConfigurationProvider(project, connection, trust, runtime, context.extensionPath);
  const bullmq = new BullmqRunner({
    folder, secrets: context.secrets, trust, runs, documents,
    // The tsx the bundled runtime loads TypeScript tasks with (dist/node_modules in the .vsix).
    tsxLoader: createRequire(bundledCli).resolve('tsx'),
  });
  const runner = new TaskRunner({
    trust, project, connection, runs, documents, workers: local, bullmq,
    findTask: (name, at) => tasks.find(name, at),
    startDebugWorker: ({ name, pool, queue }) => startDebugWorker(folder, {
      type: 'tasklane', request: 'launch', name: `Debug ${name} (${pool})`, pool, queues: [queue], concurrency: 1,
    }),
  });

  const workersTree = vscode.window.createTreeView('tasklane.workers', { treeDataProvider: workers });
  // An unusable config (bad JSON, a wrong field) says so above the Workers view, not just in the file.
  const showConfigError = () => { workersTree.message = project.error && `tasklane.config.json cannot be used: ${project.error}`; };
  showConfigError();
  // Beside the view's title: which runtime local workers run.
  const showRuntime = () => { workersTree.description = describeRuntime(runtime()); };
  showRuntime();

  let refreshing: NodeJS.Timeout | undefined;
  const refreshLive = () => {
    refreshing ??= setTimeout(async () => {
      refreshing = undefined;
      live = await connection.workers().catch(() => []);
      workers.refresh();
      status.update();
    }, 200);
  };
  const connect = () => {
    if (project.exists || readSettings(folder).brokerUrl) void connection.connect().then(refreshLive, () => status.update());
  };
  const poll = setInterval(() => { if (connection.broker) refreshLive(); }, LIVE_POLL_MS);

  // Untitled: the user reads it, acts on it in their own code, and saves it only if they want it.
  const writeSuggestions = async () => {
    const content = suggestionsDocument(await analysis.tasks(folder), project.root);
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }));
  };
  const workerName = (target: WorkerNode | string | undefined) => (typeof target === 'string' ? target : target?.name);
  const guarded = (action: string, fn: (...args: never[]) => Promise<unknown> | unknown) => async (...args: never[]) => {
    try {
      return await fn(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(`Tasklane: could not ${action}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const command = (id: string, action: string, fn: (...args: never[]) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, guarded(action, fn));

  context.subscriptions.push(
    project, connection, runs, measured, local, status, tasks,
    vscode.window.createTreeView('tasklane.tasks', { treeDataProvider: tasks, showCollapseAll: true }),
    workersTree,
    vscode.window.createTreeView('tasklane.runs', { treeDataProvider: runsView }),
    vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, documents),
    vscode.debug.registerDebugConfigurationProvider('tasklane', debugProvider),
    // Dynamic: the config's workers also show in the Run and Debug view's picker. Only providing:
    // a second resolver would resolve the already resolved Node launch again.
    vscode.debug.registerDebugConfigurationProvider('tasklane', {
      provideDebugConfigurations: () => debugProvider.provideDebugConfigurations(),
    }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    command('tasklane.runTask', 'run the task', (target: RunTarget) => runner.run(target)),
    command('tasklane.debugTask', 'debug the task', (target: RunTarget) => runner.debug(target)),
    command('tasklane.goToTask', 'open the task', async (target: TaskNode | { file: string; line: number }) => {
      const at = 'kind' in target ? (target.kind === 'task' ? target.task : undefined) : target;
      if (!at) return;
      const position = new vscode.Position(Math.max(0, at.line - 1), 0);
      await vscode.window.showTextDocument(vscode.Uri.file(at.file), { selection: new vscode.Range(position, position) });
    }),
    command('tasklane.refresh', 'refresh', async () => {
      project.reload();
      await tasks.refresh();
      refreshLive();
    }),
    command('tasklane.createConfig', 'create tasklane.config.json', async () => {
      if (project.exists) {
        await vscode.window.showTextDocument(vscode.Uri.file(project.configPath));
        return;
      }
      const found = await analysis.tasks(folder);
      // BullMQ Workers only: a config would configure nothing that runs them; their suggestions would.
      if (found.length && !found.some((t) => t.framework === 'tasklane')) return writeSuggestions();
      const config = configFromAnalysis(found, project.root);
      await writeFile(project.configPath, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
      project.reload();
      await vscode.window.showTextDocument(vscode.Uri.file(project.configPath));
    }),
    command('tasklane.writeSuggestions', 'write the suggestions', () => writeSuggestions()),
    command('tasklane.startWorker', 'start the worker', async (target: WorkerNode | string) => {
      if (trust.check('start a worker')) return local.start(workerName(target)!);
    }),
    command('tasklane.stopWorker', 'stop the worker', (target: WorkerNode | string) => local.stop(workerName(target)!)),
    command('tasklane.restartWorker', 'restart the worker', async (target: WorkerNode | string) => {
      if (trust.check('restart a worker')) return local.restart(workerName(target)!);
    }),
    command('tasklane.debugWorker', 'debug the worker', (target: WorkerNode | string) => {
      const name = workerName(target)!;
      return startDebugWorker(folder, { type: 'tasklane', request: 'launch', name: `Debug worker ${name}`, worker: name });
    }),
    command('tasklane.showWorkerLog', 'show the log', (target: WorkerNode | string) => local.channel(workerName(target)!).show(true)),
    command('tasklane.startAllWorkers', 'start the workers', async () => {
      if (trust.check('start workers')) return Promise.all(project.workerNames().map((name) => local.start(name)));
    }),
    command('tasklane.stopAllWorkers', 'stop the workers', () => local.stopAll()),
    command('tasklane.openRun', 'open the run', (run: Run) => documents.open(run)),
    command('tasklane.clearRuns', 'clear the runs', () => runs.clear()),
    command('tasklane.revokeRun', 'revoke the task', (run: Run) => revokeRun({ trust, connection }, run, false)),
    command('tasklane.terminateRun', 'terminate the task', (run: Run) => revokeRun({ trust, connection }, run, true)),
    command('tasklane.setBrokerPassword', 'store the password', async () => {
      const password = await vscode.window.showInputBox({
        title: 'Broker password', prompt: 'Kept in the OS secret store and added to tasklane.brokerUrl; empty removes it', password: true, ignoreFocusOut: true,
      });
      if (password !== undefined) await connection.setPassword(password);
    }),
    connection.onEvent((event) => {
      runs.applyEvent(event);
      if (event.type.startsWith('worker-')) refreshLive();
    }),
    connection.onDidChange(() => status.update()),
    runs.onDidChange(() => status.update()),
    local.onDidChange(() => { workers.refresh(); showRuntime(); status.update(); refreshLive(); }),
    project.onDidChange(() => { tasks.redraw(); workers.refresh(); showConfigError(); showRuntime(); void connection.close().then(connect); }),
    analysis.onTasksChanged(() => void tasks.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tasklane.brokerUrl')) void connection.close().then(connect);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => status.update()),
    { dispose: () => { clearInterval(poll); clearTimeout(refreshing); } },
  );

  connect();
  const ready = analysis.start().then(() => {
    // Runs read before the server was up had nowhere to go.
    measured.refresh();
    return tasks.refresh();
  });
  ready.catch((error: Error) => vscode.window.showErrorMessage(`Tasklane: the language server did not start: ${error.message}`));
  return {
    activationMs: performance.now() - started,
    ready, trust, analysis, project, connection, tasks, workers, runs, runsView, local, status, runner, bullmq,
    liveWorkers: () => live,
  };
}
