import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { BrokerConnection } from './brokerConnection.ts';
import type { Project } from './project.ts';
import type { RuntimeChoice } from './runtimeChoice.ts';
import { readSettings } from './settings.ts';

export type LocalState = 'starting' | 'running' | 'stopping' | 'stopped' | 'exited';

export interface LocalWorker {
  name: string;
  state: LocalState;
  pid?: number;
  exitCode?: number | null;
  /** Set when the process could not start or ended on its own. */
  problem?: string;
  /** The runtime it runs: the workspace's own tasklane or the extension's bundled one. */
  runtime?: RuntimeChoice;
}

/** How long a warm shutdown may take before the second signal (cold) and then SIGKILL. */
const WARM_STOP_MS = 15_000;

/**
 * Local worker processes: `<tasklane.nodePath> <tasklane CLI> worker <name>` in the workspace (the
 * workspace's own CLI when compatible, else the bundled dist/runtime/cli.mjs), one per config entry, each with its own Output channel in the `tasklane-log` language. Each runs
 * in its own process group so nothing it forks (prefork children) outlives the editor.
 */
export class LocalWorkers implements vscode.Disposable {
  private readonly processes = new Map<string, { child: ChildProcess; info: LocalWorker; exited: Promise<void> }>();
  private readonly finished = new Map<string, LocalWorker>();
  private readonly channels = new Map<string, vscode.OutputChannel>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly project: Project,
    private readonly connection: BrokerConnection,
    /** The runtime to start, asked at each start: the workspace may install one meanwhile. */
    readonly runtime: () => RuntimeChoice,
  ) {}

  get(name: string): LocalWorker | undefined {
    return this.processes.get(name)?.info ?? this.finished.get(name);
  }

  running(): LocalWorker[] {
    return [...this.processes.values()].map((p) => p.info);
  }

  channel(name: string): vscode.OutputChannel {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`Tasklane Worker: ${name}`, 'tasklane-log');
      this.channels.set(name, channel);
    }
    return channel;
  }

  async start(name: string): Promise<LocalWorker> {
    const existing = this.processes.get(name);
    if (existing) return existing.info;
    if (!this.project.workerNames().includes(name)) {
      throw new Error(`tasklane.config.json has no worker "${name}" (workers: ${this.project.workerNames().join(', ') || 'none'}): add it under "workers"`);
    }
    const { nodePath } = readSettings(this.project.folder);
    const env: NodeJS.ProcessEnv = { ...process.env, TASKLANE_BROKER: await this.connection.workerUrl(), NO_COLOR: '1' };
    // The extension host may run under a debugger or with its own loaders: the worker must not inherit them.
    delete env.NODE_OPTIONS;
    const channel = this.channel(name);
    const runtime = this.runtime();
    channel.appendLine(`$ ${nodePath} ${runtime.cliPath} worker ${name}   (in ${this.project.root}; ${runtime.kind} tasklane ${runtime.version}${runtime.note ? `: ${runtime.note}` : ''})`);
    const child = spawn(nodePath, [runtime.cliPath, 'worker', name], {
      cwd: this.project.root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    const info: LocalWorker = { name, state: 'starting', pid: child.pid, runtime };
    const exited = new Promise<void>((resolve) => {
      const done = (problem?: string) => {
        if (!this.processes.has(name)) return resolve();
        this.processes.delete(name);
        info.state = info.state === 'stopping' ? 'stopped' : 'exited';
        info.exitCode = child.exitCode;
        if (problem) info.problem = problem;
        else if (info.state === 'exited') info.problem = `exited with code ${child.exitCode ?? child.signalCode}: see the "Tasklane Worker: ${name}" output`;
        this.finished.set(name, info);
        channel.appendLine(`[worker ${name} ${info.state}${child.exitCode !== null ? `, exit code ${child.exitCode}` : ''}]`);
        this.changed.fire();
        resolve();
      };
      child.once('error', (error) => done(`could not start "${nodePath}": ${error.message}. Set tasklane.nodePath to a Node.js 20+ executable.`));
      child.once('exit', () => done());
    });
    this.processes.set(name, { child, info, exited });
    this.finished.delete(name);
    let first = true;
    const forward = (data: Buffer) => {
      if (first && info.state === 'starting') { info.state = 'running'; this.changed.fire(); }
      first = false;
      channel.append(data.toString());
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    this.changed.fire();
    return info;
  }

  /** Warm shutdown (SIGTERM): running tasks finish, prefetched ones go back to the broker. */
  async stop(name: string): Promise<void> {
    const entry = this.processes.get(name);
    if (!entry) return;
    entry.info.state = 'stopping';
    this.changed.fire();
    entry.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.channel(name).appendLine(`[worker ${name} still running after ${WARM_STOP_MS / 1000}s: cold shutdown]`);
      entry.child.kill('SIGTERM');
      setTimeout(() => killGroup(entry.child, 'SIGKILL'), 5_000).unref();
    }, WARM_STOP_MS);
    await entry.exited;
    clearTimeout(timer);
    // A prefork child that ignored its parent's end must not linger either.
    killGroup(entry.child, 'SIGKILL');
  }

  async restart(name: string): Promise<LocalWorker> {
    await this.stop(name);
    return this.start(name);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((name) => this.stop(name)));
  }

  /** Editor closing: end every process now, whole groups, nothing left behind. */
  dispose(): void {
    for (const { child } of this.processes.values()) killGroup(child, 'SIGKILL');
    this.processes.clear();
    for (const channel of this.channels.values()) channel.dispose();
    this.changed.dispose();
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}
