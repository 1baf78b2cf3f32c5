import * as vscode from 'vscode';
import type { WorkerConfig } from 'tasklane/config';
import { DEFAULT_QUEUE, type WorkerInfo } from 'tasklane/contract';
import { poolSize } from '../poolSize.ts';
import { describeRuntime, type RuntimeChoice } from '../runtimeChoice.ts';
import type { LocalWorker } from '../workers.ts';

export interface WorkerNode {
  name: string;
  config?: WorkerConfig;
  /** The latest heartbeat of a worker with this name on the broker (local or not). */
  live?: WorkerInfo;
  local?: LocalWorker;
}

export interface WorkerSources {
  configured(): Record<string, WorkerConfig>;
  live(): WorkerInfo[];
  local(name: string): LocalWorker | undefined;
  /** The runtime a worker started now would run. */
  runtime(): RuntimeChoice;
}

/** A heartbeat belongs to a config entry when the CLI named it so ("cpu", "cpu@host") or it is our process. */
function matches(info: WorkerInfo, name: string, local?: LocalWorker): boolean {
  return info.name === name || info.name.startsWith(`${name}@`) || (local?.pid !== undefined && info.pid === local.pid);
}

export function workerState(node: WorkerNode): string {
  if (node.local?.state === 'stopping') return 'stopping';
  if (node.live) return node.live.active.length ? `busy (${node.live.active.length} running)` : 'idle';
  if (node.local?.state === 'starting' || node.local?.state === 'running') return 'starting';
  if (node.local?.problem) return 'exited';
  return 'stopped';
}

/** The Workers view: the config's workers plus any other worker heartbeating on the broker. */
export class WorkersView implements vscode.TreeDataProvider<WorkerNode> {
  private readonly changed = new vscode.EventEmitter<WorkerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly sources: WorkerSources) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  nodes(): WorkerNode[] {
    const live = this.sources.live();
    const claimed = new Set<WorkerInfo>();
    const nodes: WorkerNode[] = Object.entries(this.sources.configured()).map(([name, config]) => {
      const local = this.sources.local(name);
      const info = live.find((w) => matches(w, name, local));
      if (info) claimed.add(info);
      return { name, config, live: info, local };
    });
    for (const info of live) if (!claimed.has(info)) nodes.push({ name: info.name, live: info });
    return nodes;
  }

  getChildren(node?: WorkerNode): WorkerNode[] {
    return node ? [] : this.nodes();
  }

  getTreeItem(node: WorkerNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = `worker:${node.name}`;
    const pool = poolSize(node.live, node.config);
    const queues = node.live?.queues ?? node.config?.queues ?? [DEFAULT_QUEUE];
    const state = workerState(node);
    const processed = node.live ? ` · ${node.live.processed} done` : '';
    item.description = `${pool} · ${queues.join(', ')} · ${state}${processed}`;
    const running = node.local !== undefined && ['starting', 'running', 'stopping'].includes(node.local.state);
    item.contextValue = !node.config ? 'worker.remote' : running ? 'worker.running' : 'worker.stopped';
    item.iconPath = new vscode.ThemeIcon(
      node.live ? 'vm-running' : running ? 'loading~spin' : node.local?.problem ? 'error' : 'vm-outline',
      node.live ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${node.name}** — ${state}\n\n- pool: ${pool}\n- queues: ${queues.map((q) => `\`${q}\``).join(', ')}\n`);
    if (node.live) {
      md.appendMarkdown(`- ${node.live.processed} done, ${node.live.failed} failed, pid ${node.live.pid} on ${node.live.hostname}\n`);
      for (const a of node.live.active) md.appendMarkdown(`- running \`${a.task}\` (${a.id.slice(0, 8)})\n`);
    }
    if (node.config) {
      const runtime = node.local?.runtime ?? this.sources.runtime();
      md.appendMarkdown(`- runtime: ${describeRuntime(runtime)}${runtime.note ? ` (${runtime.note})` : ''}\n`);
    }
    if (node.local?.problem) md.appendMarkdown(`\n${node.local.problem}`);
    if (!node.config) md.appendMarkdown('\nNot in tasklane.config.json: a worker started elsewhere on this broker.');
    item.tooltip = md;
    if (node.config) item.command = { command: 'tasklane.showWorkerLog', title: 'Show Worker Log', arguments: [node] };
    return item;
  }
}
