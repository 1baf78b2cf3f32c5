import * as vscode from 'vscode';
import type { SerializedError, TaskEvent, TaskProgress, TaskResult, TaskState } from 'tasklane/contract';

/** One task execution as the editor saw it: from the broker's events and, once done, its result. */
export interface Run {
  id: string;
  task: string;
  queue?: string;
  args?: unknown[];
  /** A BullMQ job's data and id (its run's `id` also names the Redis and queue). */
  data?: unknown;
  jobId?: string;
  state: TaskState;
  worker?: string;
  sentAt?: number;
  startedAt?: number;
  finishedAt?: number;
  wallMs?: number;
  cpuMs?: number;
  retries?: number;
  result?: unknown;
  error?: SerializedError;
  reason?: string;
  /** The task's last progress report (task-progress events), while it runs. */
  progress?: TaskProgress;
}

const STATE_OF: Partial<Record<TaskEvent['type'], TaskState>> = {
  'task-sent': 'PENDING',
  'task-received': 'RECEIVED',
  'task-started': 'STARTED',
  'task-retried': 'RETRY',
  'task-succeeded': 'SUCCESS',
  'task-failed': 'FAILURE',
  'task-dead-lettered': 'FAILURE',
  'task-revoked': 'REVOKED',
};

const DONE: TaskState[] = ['SUCCESS', 'FAILURE', 'REVOKED'];
/** Old runs are dropped beyond this: the view is a live window, the broker keeps results. */
const KEEP = 200;

export function isDone(run: Run): boolean {
  return DONE.includes(run.state);
}

/** Not finished and sent through Tasklane's broker (a BullMQ job is not revoked from here). */
export function isRevocable(run: Run): boolean {
  return !isDone(run) && run.jobId === undefined;
}

/** Measured CPU share of a finished run (cpu time / wall time), when both were recorded. */
export function cpuShare(run: Pick<Run, 'wallMs' | 'cpuMs'>): number | undefined {
  return run.wallMs && run.cpuMs !== undefined ? Math.min(1, run.cpuMs / run.wallMs) : undefined;
}

/** Live runs keyed by task id, newest first. */
export class RunStore {
  private readonly runs = new Map<string, Run>();
  private readonly changed = new vscode.EventEmitter<Run | undefined>();
  readonly onDidChange = this.changed.event;

  list(): Run[] {
    return [...this.runs.values()].reverse();
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  inFlight(): number {
    return this.list().filter((r) => !isDone(r)).length;
  }

  /** A run this editor sent (so it shows before the worker's first event). */
  sent(run: Pick<Run, 'id' | 'task' | 'queue' | 'args' | 'data' | 'jobId'>): void {
    this.update({ ...run, state: 'PENDING', sentAt: Date.now() });
  }

  /** A worker took the run (BullMQ's "active"; Tasklane's runs learn it from task-started events). */
  started(id: string, at: number): void {
    const run = this.runs.get(id);
    if (run && !isDone(run)) this.update({ id, task: run.task, state: 'STARTED', startedAt: at });
  }

  applyEvent(event: TaskEvent): void {
    if (event.type === 'task-progress') return this.progressed(event);
    const state = event.id && event.task ? STATE_OF[event.type] : undefined;
    if (!state || !event.id || !event.task) return;
    const previous = this.runs.get(event.id);
    // Events may arrive out of order across processes: never move a finished run back.
    if (previous && isDone(previous) && !DONE.includes(state)) return;
    this.update({
      id: event.id, task: event.task, state,
      ...(event.queue !== undefined && { queue: event.queue }),
      ...(event.args !== undefined && { args: event.args }),
      ...(event.worker !== undefined && { worker: event.worker }),
      ...(event.type === 'task-sent' && { sentAt: event.ts }),
      ...(event.type === 'task-started' && { startedAt: event.ts }),
      ...(DONE.includes(state) && { finishedAt: event.ts }),
      ...(event.wallMs !== undefined && { wallMs: event.wallMs }),
      ...(event.cpuMs !== undefined && { cpuMs: event.cpuMs }),
      ...(event.retries !== undefined && { retries: event.retries }),
      ...(event.result !== undefined && { result: event.result }),
      ...(event.error !== undefined && { error: event.error }),
      ...(event.reason !== undefined && { reason: event.reason }),
    });
  }

  /** A progress report: the run is running; a late report never reopens a finished run. */
  private progressed({ id, task, progress, worker }: TaskEvent): void {
    if (!id || !task || !progress) return;
    const previous = this.runs.get(id);
    if (previous && isDone(previous)) return;
    this.update({ id, task, state: 'STARTED', progress, ...(worker !== undefined && { worker }) });
  }

  applyResult(result: TaskResult): void {
    this.update({
      id: result.id, task: result.task, state: result.state, finishedAt: result.finishedAt,
      ...(result.result !== undefined && { result: result.result }),
      ...(result.error !== undefined && { error: result.error }),
      ...(result.wallMs !== undefined && { wallMs: result.wallMs }),
      ...(result.cpuMs !== undefined && { cpuMs: result.cpuMs }),
      ...(result.worker !== undefined && { worker: result.worker }),
    });
  }

  clear(): void {
    this.runs.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private update(patch: Partial<Run> & Pick<Run, 'id' | 'task' | 'state'>): void {
    const previous = this.runs.get(patch.id);
    const run: Run = { ...previous, ...patch };
    this.runs.set(patch.id, run);
    while (this.runs.size > KEEP) this.runs.delete(this.runs.keys().next().value as string);
    this.changed.fire(run);
  }
}
