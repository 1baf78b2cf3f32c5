import * as vscode from 'vscode';
import { formatMs, type PoolKind } from 'tasklane/contract';
import { progressText } from '../progressBar.ts';
import { cpuShare, isDone, isRevocable, type Run, type RunStore } from '../runs.ts';

const ICONS: Record<Run['state'], [string, string?]> = {
  PENDING: ['clock'],
  RECEIVED: ['inbox'],
  STARTED: ['loading~spin'],
  RETRY: ['sync', 'problemsWarningIcon.foreground'],
  SUCCESS: ['pass', 'testing.iconPassed'],
  FAILURE: ['error', 'testing.iconFailed'],
  REVOKED: ['circle-slash', 'disabledForeground'],
};

export function runSummary(run: Run): string {
  const parts: string[] = [run.state.toLowerCase()];
  if (run.progress && !isDone(run)) parts.push(progressText(run.progress));
  if (run.wallMs !== undefined) parts.push(formatMs(run.wallMs));
  const share = cpuShare(run);
  if (share !== undefined) parts.push(`CPU ${Math.round(share * 100)}%`);
  if (run.error) parts.push(`${run.error.name}: ${run.error.message}`);
  else if (run.result !== undefined) parts.push(`→ ${truncate(JSON.stringify(run.result), 60)}`);
  return parts.join(' · ');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The Runs view: live task executions from the broker's events, newest first. */
export class RunsView implements vscode.TreeDataProvider<Run> {
  readonly onDidChangeTreeData: vscode.Event<undefined>;

  /** `poolOf` names the pool of a live worker: Terminate is offered where it can kill (prefork, threads). */
  constructor(private readonly store: RunStore, private readonly poolOf: (worker: string) => PoolKind | undefined = () => undefined) {
    // Events come in bursts (received, started, succeeded within milliseconds): one repaint per burst.
    const emitter = new vscode.EventEmitter<undefined>();
    let pending: NodeJS.Timeout | undefined;
    store.onDidChange(() => {
      pending ??= setTimeout(() => { pending = undefined; emitter.fire(undefined); }, 100);
    });
    this.onDidChangeTreeData = emitter.event;
  }

  getChildren(run?: Run): Run[] {
    return run ? [] : this.store.list();
  }

  getTreeItem(run: Run): vscode.TreeItem {
    const item = new vscode.TreeItem(run.task, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${run.id}`;
    item.description = runSummary(run);
    const [icon, color] = ICONS[run.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = `${run.task} [${run.id}]\nqueue ${run.queue ?? '?'}${run.worker ? ` · worker ${run.worker}` : ''}\n${runSummary(run)}\n${run.jobId ? `job ${run.jobId} · data ${truncate(JSON.stringify(run.data), 200)}` : `args ${truncate(JSON.stringify(run.args ?? []), 200)}`}`;
    item.contextValue = this.contextOf(run);
    item.command = { command: 'tasklane.openRun', title: 'Open Run', arguments: [run] };
    return item;
  }

  /** run, run.revocable, or run.revocable.terminable: which of Revoke and Terminate its menu offers. */
  private contextOf(run: Run): string {
    if (!isRevocable(run)) return 'run';
    const pool = run.state === 'STARTED' && run.worker ? this.poolOf(run.worker) : undefined;
    return pool === 'prefork' || pool === 'threads' ? 'run.revocable.terminable' : 'run.revocable';
  }
}
