import * as vscode from 'vscode';
import type { TaskAnalysis } from '@tasklane/server/protocol';

export type TaskNode = { kind: 'queue'; queue: string; tasks: TaskAnalysis[] } | { kind: 'task'; task: TaskAnalysis };

const VERDICT: Record<TaskAnalysis['kind'], { label: string; icon: string }> = {
  cpu: { label: 'CPU-bound', icon: 'flame' },
  io: { label: 'I/O-bound', icon: 'cloud' },
  mixed: { label: 'mixed CPU and I/O', icon: 'layers' },
  unknown: { label: 'not classified', icon: 'question' },
};

export function verdictLabel(task: TaskAnalysis): string {
  return VERDICT[task.kind].label;
}

/** The Tasks view: every task the analysis found, grouped by the queue it is routed to today. */
export class TasksView implements vscode.TreeDataProvider<TaskNode> {
  private tasks: TaskAnalysis[] = [];
  private readonly changed = new vscode.EventEmitter<TaskNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => Promise<TaskAnalysis[]>) {}

  all(): TaskAnalysis[] {
    return this.tasks;
  }

  find(name: string): TaskAnalysis | undefined {
    return this.tasks.find((t) => t.name === name);
  }

  async refresh(): Promise<void> {
    this.tasks = await this.load();
    this.changed.fire(undefined);
  }

  getChildren(node?: TaskNode): TaskNode[] {
    if (node?.kind === 'queue') return node.tasks.map((task) => ({ kind: 'task', task }));
    if (node) return [];
    const queues = new Map<string, TaskAnalysis[]>();
    for (const task of [...this.tasks].sort((a, b) => a.name.localeCompare(b.name))) {
      queues.set(task.routedQueue, [...(queues.get(task.routedQueue) ?? []), task]);
    }
    return [...queues.keys()].sort().map((queue) => ({ kind: 'queue', queue, tasks: queues.get(queue)! }));
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    if (node.kind === 'queue') {
      const item = new vscode.TreeItem(`queue ${node.queue}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `queue:${node.queue}`;
      item.iconPath = new vscode.ThemeIcon('list-ordered');
      item.description = `${node.tasks.length} task${node.tasks.length === 1 ? '' : 's'}`;
      item.contextValue = 'queue';
      return item;
    }
    const { task } = node;
    const item = new vscode.TreeItem(task.name, vscode.TreeItemCollapsibleState.None);
    item.id = `task:${task.name}:${task.file}:${task.line}`;
    const warn = task.blocking || task.problems.some((p) => p.severity !== 'info');
    item.iconPath = new vscode.ThemeIcon(VERDICT[task.kind].icon, warn ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    item.description = `${verdictLabel(task)}${task.blocking ? ' · blocking' : ''} · ${task.pool} × ${task.concurrency}`;
    item.tooltip = tooltip(task);
    item.contextValue = 'task';
    item.resourceUri = vscode.Uri.file(task.file);
    item.command = { command: 'tasklane.goToTask', title: 'Go to Task Definition', arguments: [node] };
    return item;
  }
}

function tooltip(task: TaskAnalysis): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${task.name}** — ${verdictLabel(task)}${task.blocking ? ', **blocks the event loop**' : ''}\n\n`);
  md.appendMarkdown(`Suggested: \`${task.pool}\` pool × ${task.concurrency}, queue \`${task.queue}\` (routed to \`${task.routedQueue}\` today)\n\n`);
  for (const e of task.evidence.slice(0, 8)) md.appendMarkdown(`- ${e.kind}: ${e.message} (${vscode.workspace.asRelativePath(e.file)}:${e.line})\n`);
  for (const p of task.problems) md.appendMarkdown(`\n$(warning) ${p.message}`);
  md.supportThemeIcons = true;
  return md;
}
