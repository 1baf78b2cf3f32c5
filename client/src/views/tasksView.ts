import * as vscode from 'vscode';
import { concurrencyNow, distinctEvidence, taskActions, taskLabel, WORKER_KIND, type ScheduleFound, type TaskAnalysis } from '@tasklane/server/protocol';
import { fromNow, type ScheduleRow } from '../schedules.ts';

export type TaskNode = { kind: 'queue'; queue: string; tasks: TaskAnalysis[] } | { kind: 'task'; task: TaskAnalysis }
  | { kind: 'schedules'; schedules: ScheduleRow[] } | { kind: 'schedule'; schedule: ScheduleRow };

/** How often the schedules' "next in …" is brought up to date while any exists. */
const SCHEDULE_REFRESH_MS = 30_000;

const VERDICT: Record<TaskAnalysis['kind'], { label: string; icon: string }> = {
  cpu: { label: 'CPU-bound', icon: 'flame' },
  io: { label: 'I/O-bound', icon: 'cloud' },
  mixed: { label: 'mixed CPU and I/O', icon: 'layers' },
  unknown: { label: 'not classified', icon: 'question' },
};

export function verdictLabel(task: TaskAnalysis): string {
  return VERDICT[task.kind].label;
}

/**
 * The Tasks view: every task the analysis found, grouped by the queue it is routed to today, and
 * the schedules (the config's and the code's) with their next fire times.
 */
export class TasksView implements vscode.TreeDataProvider<TaskNode>, vscode.Disposable {
  private tasks: TaskAnalysis[] = [];
  private readonly changed = new vscode.EventEmitter<TaskNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private code: ScheduleFound[] = [];
  private readonly clock: NodeJS.Timeout;

  /** `schedules` makes the rows from the config's schedules and the code's (loaded with the tasks by `loadSchedules`). */
  constructor(
    private readonly load: () => Promise<TaskAnalysis[]>,
    private readonly loadSchedules: () => Promise<ScheduleFound[]> = async () => [],
    private readonly schedules: (code: ScheduleFound[], now: number) => ScheduleRow[] = () => [],
  ) {
    this.clock = setInterval(() => { if (this.schedules(this.code, Date.now()).length) this.changed.fire(undefined); }, SCHEDULE_REFRESH_MS);
  }

  dispose(): void {
    clearInterval(this.clock);
    this.changed.dispose();
  }

  /** Redraws without asking the analysis again (the config changed). */
  redraw(): void {
    this.changed.fire(undefined);
  }

  all(): TaskAnalysis[] {
    return this.tasks;
  }

  /** The task named `name`; the one defined at `at` when several share it (BullMQ Workers of one queue). */
  find(name: string, at?: { file?: string; line?: number }): TaskAnalysis | undefined {
    const named = this.tasks.filter((t) => t.name === name);
    return named.find((t) => t.file === at?.file && t.line === at?.line) ?? named[0];
  }

  async refresh(): Promise<void> {
    [this.tasks, this.code] = await Promise.all([this.load(), this.loadSchedules()]);
    // A project of BullMQ Workers only gets a suggestions document, not a tasklane.config.json it would not use.
    const bullmqOnly = this.tasks.length > 0 && this.tasks.every((t) => t.framework !== 'tasklane');
    void vscode.commands.executeCommand('setContext', 'tasklane.bullmqOnly', bullmqOnly);
    this.changed.fire(undefined);
  }

  getChildren(node?: TaskNode): TaskNode[] {
    if (node?.kind === 'queue') return node.tasks.map((task) => ({ kind: 'task', task }));
    if (node?.kind === 'schedules') return node.schedules.map((schedule) => ({ kind: 'schedule', schedule }));
    if (node) return [];
    const queues = new Map<string, TaskAnalysis[]>();
    for (const task of [...this.tasks].sort((a, b) => a.name.localeCompare(b.name))) {
      queues.set(task.routedQueue, [...(queues.get(task.routedQueue) ?? []), task]);
    }
    const schedules = this.schedules(this.code, Date.now());
    return [
      ...[...queues.keys()].sort().map((queue): TaskNode => ({ kind: 'queue', queue, tasks: queues.get(queue)! })),
      ...(schedules.length ? [{ kind: 'schedules', schedules } as const] : []),
    ];
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    if (node.kind === 'schedules') {
      const item = new vscode.TreeItem('schedules', vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'schedules';
      item.iconPath = new vscode.ThemeIcon('calendar');
      item.description = `${node.schedules.length} periodic task${node.schedules.length === 1 ? '' : 's'} (tasklane beat)`;
      item.contextValue = 'schedules';
      return item;
    }
    if (node.kind === 'schedule') return scheduleItem(node.schedule);
    if (node.kind === 'queue') {
      const item = new vscode.TreeItem(`queue ${node.queue}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `queue:${node.queue}`;
      item.iconPath = new vscode.ThemeIcon('list-ordered');
      item.description = `${node.tasks.length} task${node.tasks.length === 1 ? '' : 's'}`;
      item.contextValue = 'queue';
      return item;
    }
    const { task } = node;
    const item = new vscode.TreeItem(taskLabel(task), vscode.TreeItemCollapsibleState.None);
    item.id = `task:${task.name}:${task.file}:${task.line}`;
    const warn = task.blocking || task.problems.some((p) => p.severity !== 'info');
    item.iconPath = new vscode.ThemeIcon(VERDICT[task.kind].icon, warn ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    item.description = `${verdictLabel(task)}${task.blocking ? ' · blocking' : ''} · ${task.framework !== 'tasklane' ? `${concurrencyNow(task) ? `${concurrencyNow(task)} → ` : ''}suggest ${bullmqSuggestion(task)}` : `${task.pool} × ${task.concurrency}`}`;
    item.tooltip = tooltip(task);
    // Which inline actions show (package.json menus): only those that can work for this task.
    const actions = taskActions(task);
    item.contextValue = `task${actions.run === true ? '.run' : ''}${actions.debug === true ? '.debug' : ''}`;
    // No resourceUri: it would colour the row with every diagnostic of the file (TypeScript's own
    // errors too); the row's colour and icon say only what Tasklane found.
    item.command = { command: 'tasklane.goToTask', title: 'Go to Task Definition', arguments: [node] };
    return item;
  }
}

function scheduleItem(s: ScheduleRow): vscode.TreeItem {
  const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
  // A name defined twice (config and code) is two rows.
  item.id = `schedule:${s.name}:${s.file}:${s.line}`;
  const now = Date.now();
  const next = s.error ? 'cannot be used' : s.next !== undefined ? `next ${new Date(s.next).toLocaleString()} (${fromNow(s.next, now)})`
    : s.computed ? 'next: see tasklane beat --list' : 'fires no more';
  item.description = `${s.task} · ${s.when} · ${next}`;
  item.iconPath = new vscode.ThemeIcon(s.error ? 'warning' : 'clock', s.error ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${s.name}** — sends \`${s.task}\` ${s.when}${s.queue ? ` to queue \`${s.queue}\`` : ''}\n\n`);
  md.appendMarkdown(s.error ? `$(warning) ${s.error}` : s.next !== undefined ? `Next: ${new Date(s.next).toISOString()} (${fromNow(s.next, now)})`
    : s.computed ? 'Its timing is computed in code: `tasklane beat --list` shows the next fire time.' : 'Fires no more.');
  md.appendMarkdown('\n\nSent by `tasklane beat`, `tasklane worker -B` or `tasklane up`, each tick once.');
  md.supportThemeIcons = true;
  item.tooltip = md;
  item.contextValue = 'schedule';
  if (s.file) {
    const at = new vscode.Position(Math.max(0, (s.line ?? 1) - 1), 0);
    item.command = { command: 'vscode.open', title: 'Go to Schedule Definition', arguments: [vscode.Uri.file(s.file), { selection: new vscode.Range(at, at) }] };
  }
  return item;
}

function bullmqSuggestion(task: TaskAnalysis): string {
  return task.pool === 'async' ? `inline × ${task.concurrency}` : `sandboxed × ${task.concurrency}`;
}

function tooltip(task: TaskAnalysis): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const where = `${vscode.workspace.asRelativePath(task.file)}:${task.line}`;
  md.appendMarkdown(`**${taskLabel(task)}** — ${verdictLabel(task)}${task.blocking ? ', **blocks the event loop**' : ''}\n\n`);
  if (task.framework !== 'tasklane') {
    md.appendMarkdown(`${WORKER_KIND[task.framework]} of queue \`${task.name}\`${task.binding ? ` held by \`${task.binding}\`` : ''}, ${where}\n\n`);
    md.appendMarkdown(`${task.summary.replace(/^suggest:/, 'Suggested:')}\n\n`);
  } else {
    md.appendMarkdown(`${where}\n\nSuggested: \`${task.pool}\` pool × ${task.concurrency}, queue \`${task.queue}\` (routed to \`${task.routedQueue}\` today)\n\n`);
  }
  for (const fact of distinctEvidence(task.evidence)) {
    const places = fact.places.map((p) => `${vscode.workspace.asRelativePath(p.file)}:${p.line}`).join(', ');
    md.appendMarkdown(`- ${fact.kind}: ${fact.message} (${places})\n`);
  }
  for (const p of task.problems) md.appendMarkdown(`\n$(warning) ${p.message}`);
  const actions = taskActions(task);
  if (actions.run !== true) md.appendMarkdown(`\n\nRun is not offered: ${actions.run}.`);
  if (actions.debug !== true && actions.debug !== actions.run) md.appendMarkdown(`\n\nDebug is not offered: ${actions.debug}.`);
  md.supportThemeIcons = true;
  return md;
}
