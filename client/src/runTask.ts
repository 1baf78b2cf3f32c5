import * as vscode from 'vscode';
import { DEFAULT_QUEUE, routeTask, sendTask, type PoolKind, type TaskResult } from 'tasklane/contract';
import type { TaskAnalysis, TaskCommandArgs } from '@tasklane/server/protocol';
import type { BrokerConnection } from './brokerConnection.ts';
import type { BullmqRunner } from './bullmqRunner.ts';
import type { Project } from './project.ts';
import type { RunDocuments } from './runDocuments.ts';
import type { RunStore } from './runs.ts';
import { argumentsTemplate, parseTaskArguments } from './taskArguments.ts';
import type { Trust } from './trust.ts';
import type { TaskNode } from './views/tasksView.ts';
import type { LocalWorkers } from './workers.ts';

/**
 * What the Run/Debug commands accept: a code lens's argument, a Tasks view node, or (API, tests) a
 * name with args, or for a BullMQ Worker its file and line (several Workers share a queue) with the job's data.
 */
export type RunTarget = TaskCommandArgs | TaskNode | { name: string; args?: unknown[]; pool?: PoolKind; file?: string; line?: number; data?: unknown };

export interface RunnerDeps {
  trust: Trust;
  project: Project;
  connection: BrokerConnection;
  runs: RunStore;
  documents: RunDocuments;
  workers: LocalWorkers;
  findTask(name: string, at?: { file?: string; line?: number }): TaskAnalysis | undefined;
  bullmq: BullmqRunner;
  /** Starts a debug worker for the task on its own queue; resolves to the session. */
  startDebugWorker(options: { name: string; pool: PoolKind; queue: string }): Promise<vscode.DebugSession>;
}

function targetName(target: RunTarget): string | undefined {
  if ('kind' in target) return target.kind === 'task' ? target.task.name : undefined;
  return target.name;
}

/** A BullMQ Worker's job data when the target carries it (API, tests). */
function targetData(target: RunTarget): unknown {
  return 'data' in target ? target.data : undefined;
}

/**
 * Runs a task from the editor: arguments asked as JSON and checked, the message sent through the
 * configured broker, progress while a worker runs it, then the result (or the error with its stack)
 * opened in an editor. Debug does the same through a worker started under the debugger.
 */
export class TaskRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(target: RunTarget): Promise<TaskResult | undefined> {
    const bullmq = this.bullmqTask(target);
    if (bullmq) return this.deps.bullmq.run(bullmq, targetData(target));
    const request = await this.prepare(target, 'run a task');
    if (!request) return undefined;
    const { name, task, args } = request;
    const queue = task?.routedQueue ?? routeTask(name, { routes: this.deps.project.loaded?.config.routes });
    void this.warnIfUnserved(queue);
    return this.send(name, args, queue);
  }

  async debug(target: RunTarget): Promise<TaskResult | undefined> {
    const bullmq = this.bullmqTask(target);
    if (bullmq) return this.deps.bullmq.debug(bullmq, targetData(target));
    const request = await this.prepare(target, 'debug a task');
    if (!request) return undefined;
    const { name, task, args } = request;
    const pool = ('pool' in target && target.pool) || this.configuredPool(task?.routedQueue) || task?.pool || 'solo';
    // A queue of its own, so the task goes to the worker under the debugger and not to another one.
    const queue = `debug.${crypto.randomUUID().slice(0, 8)}`;
    const session = await this.deps.startDebugWorker({ name, pool, queue });
    try {
      return await this.send(name, args, queue, `Debugging ${name} (${pool} pool)`);
    } finally {
      await vscode.debug.stopDebugging(session);
    }
  }

  /** Queue-library workers (BullMQ, Bull, NestJS) run on the project's own Redis, never through Tasklane's broker. */
  private bullmqTask(target: RunTarget): TaskAnalysis | undefined {
    const name = targetName(target);
    const task = 'kind' in target ? (target.kind === 'task' ? target.task : undefined)
      : name === undefined ? undefined : this.deps.findTask(name, target as { file?: string; line?: number });
    return task && task.framework !== 'tasklane' ? task : undefined;
  }

  /** What run and debug both need first: a trusted workspace, the task, its arguments. */
  private async prepare(target: RunTarget, action: string): Promise<{ name: string; task: TaskAnalysis | undefined; args: unknown[] } | undefined> {
    if (!this.deps.trust.check(action)) return undefined;
    const name = targetName(target);
    if (!name) return undefined;
    const task = this.deps.findTask(name);
    const args = await this.argumentsFor(name, target, task);
    return args && { name, task, args };
  }

  /** The pool of the configured worker consuming `queue`. */
  private configuredPool(queue: string | undefined): PoolKind | undefined {
    if (!queue) return undefined;
    const workers = Object.values(this.deps.project.loaded?.config.workers ?? {});
    return workers.find((w) => (w.queues ?? [DEFAULT_QUEUE]).includes(queue))?.pool;
  }

  private async argumentsFor(name: string, target: RunTarget, task: TaskAnalysis | undefined): Promise<unknown[] | undefined> {
    const given = 'args' in target ? target.args : undefined;
    const parameters = task?.parameters;
    if (given !== undefined) {
      const checked = parseTaskArguments(JSON.stringify(given), parameters);
      if (!checked.ok) throw new Error(`${name}: ${checked.error}`);
      return checked.args;
    }
    const text = await vscode.window.showInputBox({
      title: `Arguments of ${name}`,
      prompt: 'A JSON array, one element per parameter of the handler',
      value: argumentsTemplate(parameters),
      ignoreFocusOut: true,
      validateInput: (value) => {
        const checked = parseTaskArguments(value, parameters);
        return checked.ok ? undefined : checked.error;
      },
    });
    if (text === undefined) return undefined;
    const checked = parseTaskArguments(text, parameters);
    return checked.ok ? checked.args : undefined;
  }

  private async warnIfUnserved(queue: string): Promise<void> {
    const workers = Object.entries(this.deps.project.loaded?.config.workers ?? {});
    const consuming = workers.filter(([, w]) => (w.queues ?? [DEFAULT_QUEUE]).includes(queue)).map(([name]) => name);
    // A local worker that is still starting serves the queue too: it has not beaten yet.
    if (consuming.some((name) => this.deps.workers.running().some((w) => w.name === name))) return;
    const live = await this.deps.connection.workers().catch(() => []);
    if (live.some((w) => w.queues.includes(queue))) return;
    const message = `Tasklane: no running worker consumes queue "${queue}"; the task waits there until one does.`;
    const start = consuming[0] ? `Start worker ${consuming[0]}` : undefined;
    const choice = await vscode.window.showWarningMessage(message, ...(start ? [start] : []));
    if (choice && this.deps.trust.check('start a worker')) await this.deps.workers.start(consuming[0]);
  }

  private async send(name: string, args: unknown[], queue: string, title = `Running ${name}`): Promise<TaskResult | undefined> {
    let broker;
    try {
      broker = await this.deps.connection.connect();
    } catch (error) {
      void vscode.window.showErrorMessage(`Tasklane: cannot reach the broker: ${(error as Error).message}. Check tasklane.brokerUrl (and the password: "Tasklane: Set Broker Password") or "broker" in tasklane.config.json.`);
      return undefined;
    }
    const { message, result: pending } = await sendTask(broker, name, args, { apply: { queue } });
    this.deps.runs.sent(message);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Tasklane: ${title}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: `queued on "${queue}"` });
        const follow = this.deps.runs.onDidChange((run) => {
          if (run?.id === message.id) progress.report({ message: `${run.state.toLowerCase()}${run.worker ? ` on ${run.worker}` : ''}` });
        });
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        try {
          await pending.get({ signal: abort.signal }).catch((error: Error) => {
            if (abort.signal.aborted) throw error;
            // A failed task is an outcome to show, not an error of the command.
          });
          return pending.result();
        } catch {
          void vscode.window.showInformationMessage(`Tasklane: stopped waiting for ${name} [${message.id.slice(0, 8)}]; it stays queued or running, and its outcome shows in the Runs view.`);
          return undefined;
        } finally {
          follow.dispose();
        }
      },
    );
    if (!outcome) return undefined;
    this.deps.runs.applyResult(outcome);
    const run = this.deps.runs.get(outcome.id);
    if (run) await this.deps.documents.open(run);
    if (outcome.state !== 'SUCCESS') {
      void vscode.window.showErrorMessage(`Tasklane: ${name} ${outcome.state === 'REVOKED' ? 'was revoked' : 'failed'}: ${outcome.error?.name}: ${outcome.error?.message}`);
    }
    return outcome;
  }
}
