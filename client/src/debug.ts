import * as vscode from 'vscode';
import type { PoolKind } from 'tasklane/contract';
import type { BrokerConnection } from './brokerConnection.ts';
import type { Project } from './project.ts';
import type { RuntimeChoice } from './runtimeChoice.ts';
import { readSettings } from './settings.ts';
import type { Trust } from './trust.ts';

/** A `type: "tasklane"` launch configuration (package.json's debuggers contribution). */
export interface TasklaneDebugConfiguration extends vscode.DebugConfiguration {
  worker?: string;
  pool?: PoolKind;
  concurrency?: number;
  queues?: string[];
  app?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * Resolves `tasklane` debug configurations into a Node launch of the worker CLI (the workspace's or the bundled one: runtimeChoice.ts), set up so
 * breakpoints in TypeScript tasks bind whatever the pool: source maps on (tsx compiles the tasks
 * with inline maps), worker threads attached by js-debug, prefork children through
 * autoAttachChildProcesses, and the workspace allowed as a source map location.
 */
export class WorkerDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly project: Project,
    private readonly connection: BrokerConnection,
    private readonly trust: Trust,
    private readonly runtime: () => RuntimeChoice,
    private readonly extensionPath: string,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const workers = this.project.workerNames();
    if (!workers.length) return [{ type: 'tasklane', request: 'launch', name: 'Debug Tasklane worker (solo)', pool: 'solo', cwd: '${workspaceFolder}' }];
    return workers.map((worker) => ({ type: 'tasklane', request: 'launch', name: `Debug worker ${worker}`, worker, cwd: '${workspaceFolder}' }));
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: TasklaneDebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    // F5 without a launch.json: debug the first worker of the config.
    if (!config.type && !config.request && !config.name) Object.assign(config, this.provideDebugConfigurations()[0]);
    if (!this.trust.check('debug a worker')) return undefined;
    const { nodePath } = readSettings(this.project.folder);
    const root = (folder ?? this.project.folder).uri.fsPath;
    const args = ['worker'];
    if (config.worker) args.push(config.worker);
    if (config.pool) args.push('--pool', config.pool);
    if (config.concurrency !== undefined) args.push('--concurrency', String(config.concurrency));
    if (config.queues?.length) args.push('--queues', config.queues.join(','));
    if (config.app) args.push('--app', config.app);
    return {
      type: 'node',
      request: 'launch',
      name: config.name,
      runtimeExecutable: nodePath,
      program: this.runtime().cliPath,
      args,
      cwd: config.cwd ?? root,
      env: { TASKLANE_BROKER: await this.connection.workerUrl(), NO_COLOR: '1', ...config.env },
      console: 'internalConsole',
      outputCapture: 'std',
      sourceMaps: true,
      autoAttachChildProcesses: true,
      resolveSourceMapLocations: [`${root}/**`, `${this.extensionPath}/**`, '!**/node_modules/**'],
      skipFiles: ['<node_internals>/**'],
      // Kept for the Workers view and tests: which worker and pool this session runs.
      tasklane: { worker: config.worker, pool: config.pool, queues: config.queues },
    };
  }
}

/** Starts a debug session of a worker and resolves once it runs. */
export async function startDebugWorker(folder: vscode.WorkspaceFolder, config: TasklaneDebugConfiguration): Promise<vscode.DebugSession> {
  const started = new Promise<vscode.DebugSession>((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((session) => {
      if (session.name === config.name && !session.parentSession) { sub.dispose(); resolve(session); }
    });
  });
  if (!await vscode.debug.startDebugging(folder, config)) {
    throw new Error(`Tasklane: the debug session "${config.name}" did not start: see the Debug Console`);
  }
  return started;
}
