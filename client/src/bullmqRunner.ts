import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { Queue, QueueEvents } from 'bullmq';
import type { TaskResult } from 'tasklane/contract';
import { taskActions, taskLabel, type TaskAnalysis } from '@tasklane/server/protocol';
import { parseJobData, redisTarget, type RedisTarget } from './bullmq.ts';
import type { RunDocuments } from './runDocuments.ts';
import type { RunStore } from './runs.ts';
import { readSettings } from './settings.ts';
import type { Trust } from './trust.ts';

export interface BullmqDeps {
  folder: vscode.WorkspaceFolder;
  secrets: vscode.SecretStorage;
  trust: Trust;
  runs: RunStore;
  documents: RunDocuments;
  /** tsx's loader, for `node --import` of a TypeScript worker file under the debugger. */
  tsxLoader: string;
}

const READY_MS = 10_000;
const WORKER_START_MS = 60_000;

/** Passwords are kept per Redis address, so two projects' Redis servers never share one. */
const passwordKey = (display: string) => `tasklane.bullmq.password:${display}`;

/**
 * Run and Debug for a BullMQ Worker: the job goes to the Worker's queue on the project's own Redis
 * (never Tasklane's broker, so no .tasklane/ folder), and BullMQ's QueueEvents follow it to its
 * result or error in the Runs view. Debug first starts the Worker's own file under the debugger.
 */
export class BullmqRunner {
  constructor(private readonly deps: BullmqDeps) {}

  async run(task: TaskAnalysis, data?: unknown): Promise<TaskResult | undefined> {
    const request = await this.prepare(task, data, 'run a BullMQ job', 'run');
    return request && this.send(task, request.data, request.target, `Running ${taskLabel(task)}`);
  }

  async debug(task: TaskAnalysis, data?: unknown): Promise<TaskResult | undefined> {
    const request = await this.prepare(task, data, 'debug a BullMQ worker', 'debug');
    if (!request) return undefined;
    let session: vscode.DebugSession | undefined;
    try {
      return await this.send(task, request.data, request.target, `Debugging ${taskLabel(task)}`, async (queue) => {
        const before = await queue.getWorkersCount();
        session = await this.startWorkerFile(task);
        await this.untilWorkers(queue, before, task);
      });
    } finally {
      if (session) await vscode.debug.stopDebugging(session);
    }
  }

  private async prepare(task: TaskAnalysis, given: unknown, action: string, kind: 'run' | 'debug'): Promise<{ data: unknown; target: RedisTarget } | undefined> {
    if (!this.deps.trust.check(action)) return undefined;
    const allowed = taskActions(task)[kind];
    if (allowed !== true) throw new Error(`${taskLabel(task)}: ${allowed}`);
    const data = given !== undefined ? given : await this.askData(task);
    if (data === undefined) return undefined;
    const target = await this.target(task);
    return target && { data, target };
  }

  private async askData(task: TaskAnalysis): Promise<unknown> {
    const text = await vscode.window.showInputBox({
      title: `Job for queue '${task.name}' (${taskLabel(task)})`,
      prompt: 'The job\'s data (job.data): one JSON value',
      value: '{}',
      ignoreFocusOut: true,
      validateInput: (value) => {
        const parsed = parseJobData(value);
        return parsed.ok ? undefined : parsed.error;
      },
    });
    if (text === undefined) return undefined;
    const parsed = parseJobData(text);
    return parsed.ok ? parsed.data : undefined;
  }

  /** The Redis to use: the Worker's literal connection, else the setting (asked for once), with its password from SecretStorage. */
  private async target(task: TaskAnalysis): Promise<RedisTarget | undefined> {
    const { secrets, folder } = this.deps;
    const choose = async (url: string) => {
      const first = redisTarget(task, url, undefined);
      if ('missing' in first) return first;
      const password = await secrets.get(passwordKey(first.display));
      return password === undefined ? first : redisTarget(task, url, password);
    };
    let choice = await choose(readSettings(folder).bullmqRedisUrl);
    if ('missing' in choice) {
      const entered = await vscode.window.showInputBox({
        title: `Redis of queue '${task.name}'`,
        prompt: `${choice.missing}. The Redis URL your BullMQ workers use, asked once: kept in the tasklane.bullmq.redisUrl setting, a password in it goes to the OS secret store`,
        placeHolder: 'redis://127.0.0.1:6379/0',
        ignoreFocusOut: true,
        validateInput: (value) => (URL.canParse(value.trim()) && /^rediss?:$/.test(new URL(value.trim()).protocol) ? undefined : 'Write a Redis URL: redis://host:port/db (rediss:// for TLS)'),
      });
      if (!entered) return undefined;
      const url = new URL(entered.trim());
      const password = decodeURIComponent(url.password);
      url.password = '';
      await vscode.workspace.getConfiguration('tasklane', folder).update('bullmq.redisUrl', url.href, vscode.ConfigurationTarget.Workspace);
      choice = await choose(url.href);
      if ('missing' in choice) return undefined;
      if (password) await secrets.store(passwordKey(choice.display), password);
      choice = await choose(url.href);
      if ('missing' in choice) return undefined;
    }
    if (choice.needsPassword) {
      const password = await vscode.window.showInputBox({
        title: `Password of ${choice.display}`,
        prompt: `${choice.from} sets a password the editor cannot read from the code; kept in the OS secret store`,
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) return undefined;
      await secrets.store(passwordKey(choice.display), password);
      const again = redisTarget(task, readSettings(folder).bullmqRedisUrl, password);
      if ('missing' in again) return undefined;
      choice = again;
    }
    return choice;
  }

  private async send(task: TaskAnalysis, data: unknown, target: RedisTarget, title: string, beforeAdd?: (queue: Queue) => Promise<void>): Promise<TaskResult | undefined> {
    const queueName = task.bullmq!.queue!;
    // No endless reconnecting from the editor: a Redis that cannot be reached is an error to show.
    const connection = { ...target.options, maxRetriesPerRequest: null, connectTimeout: 5_000, retryStrategy: () => null };
    const queue = new Queue(queueName, { connection });
    const events = new QueueEvents(queueName, { connection, autorun: true });
    let lastError = '';
    const remember = (error: Error) => { lastError = error.message; };
    queue.on('error', remember);
    events.on('error', remember);
    try {
      await withTimeout(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), READY_MS, () =>
        `cannot reach Redis at ${target.display} (from ${target.from})${lastError ? `: ${lastError}` : ''}. ${target.from.startsWith('the Worker') ? 'Start that Redis' : 'Check the tasklane.bullmq.redisUrl setting'}${/NOAUTH|WRONGPASS/.test(lastError) ? ', and the password' : ''}.`);
      await beforeAdd?.(queue);
      return await this.follow(task, queue, events, data, title, target);
    } finally {
      await Promise.allSettled([events.close(), queue.close()]);
    }
  }

  private async follow(task: TaskAnalysis, queue: Queue, events: QueueEvents, data: unknown, title: string, target: RedisTarget): Promise<TaskResult | undefined> {
    const label = taskLabel(task);
    const job = await queue.add(task.name, data);
    const jobId = String(job.id);
    const id = `bullmq:${target.display}/${queue.name}/${jobId}`;
    const { runs } = this.deps;
    runs.sent({ id, task: label, queue: queue.name, data, jobId });
    const finished = new Promise<void>((resolve) => {
      events.on('active', ({ jobId: active }) => { if (active === jobId) runs.started(id, Date.now()); });
      events.on('completed', ({ jobId: done }) => { if (done === jobId) resolve(); });
      events.on('failed', ({ jobId: done }) => { if (done === jobId) resolve(); });
    });
    const workers = await queue.getWorkersCount().catch(() => undefined);
    const waited = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Tasklane: ${title}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: workers === 0
          ? `job ${jobId} waits on '${queue.name}' at ${target.display}: no worker consumes that queue; start yours (or use Debug)`
          : `job ${jobId} queued on '${queue.name}' at ${target.display}` });
        const started = runs.onDidChange((run) => { if (run?.id === id && run.state === 'STARTED') progress.report({ message: `job ${jobId} running` }); });
        const cancelled = new Promise<false>((resolve) => token.onCancellationRequested(() => resolve(false)));
        try {
          return await Promise.race([finished.then(() => true), cancelled]);
        } finally {
          started.dispose();
        }
      },
    );
    if (!waited) {
      void vscode.window.showInformationMessage(`Tasklane: stopped waiting for job ${jobId} of '${queue.name}'; it stays in BullMQ, where your worker takes it.`);
      return undefined;
    }
    // The job as BullMQ stored it: its own timings, return value, and the failure's stack.
    const stored = await queue.getJob(jobId);
    const failed = await stored?.getState() === 'failed';
    const outcome: TaskResult = {
      id, task: label, state: failed ? 'FAILURE' : 'SUCCESS', finishedAt: stored?.finishedOn ?? Date.now(),
      ...(failed ? { error: { name: 'Error', message: stored!.failedReason, stack: stored!.stacktrace?.at(-1) ?? undefined } } : { result: stored?.returnvalue }),
      ...(stored?.processedOn !== undefined && stored.finishedOn !== undefined && { wallMs: stored.finishedOn - stored.processedOn }),
    };
    runs.applyResult(outcome);
    const run = runs.get(id);
    if (run) await this.deps.documents.open(run);
    if (failed) void vscode.window.showErrorMessage(`Tasklane: job ${jobId} of '${queue.name}' failed: ${stored!.failedReason}`);
    return outcome;
  }

  /** The Worker's own file under the debugger: TypeScript through tsx, child processes and threads (sandboxed processors) attached. */
  private async startWorkerFile(task: TaskAnalysis): Promise<vscode.DebugSession> {
    const root = this.deps.folder.uri.fsPath;
    const name = `Debug ${taskLabel(task)}`;
    const config: vscode.DebugConfiguration = {
      type: 'node',
      request: 'launch',
      name,
      runtimeExecutable: readSettings(this.deps.folder).nodePath,
      // BullMQ forks sandboxed processors with the parent's execArgv: they load TypeScript too.
      runtimeArgs: /\.[cm]?tsx?$/.test(task.file) ? ['--import', pathToFileURL(this.deps.tsxLoader).href] : [],
      program: task.file,
      cwd: root,
      env: { NO_COLOR: '1' },
      console: 'internalConsole',
      outputCapture: 'std',
      sourceMaps: true,
      autoAttachChildProcesses: true,
      resolveSourceMapLocations: [`${root}/**`, '!**/node_modules/**'],
      skipFiles: ['<node_internals>/**'],
    };
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((session) => {
        if (session.name === name && !session.parentSession) { sub.dispose(); resolve(session); }
      });
    });
    if (!await vscode.debug.startDebugging(this.deps.folder, config)) throw new Error(`the debug session "${name}" did not start: see the Debug Console`);
    return started;
  }

  /** Waits until the started file's Worker connects to the queue, so the job is not taken before it can be debugged. */
  private async untilWorkers(queue: Queue, before: number, task: TaskAnalysis): Promise<void> {
    const deadline = Date.now() + WORKER_START_MS;
    while (await queue.getWorkersCount() <= before) {
      if (Date.now() > deadline) throw new Error(`${task.file} started under the debugger, but no Worker of '${queue.name}' connected within ${WORKER_START_MS / 1000} s: see the Debug Console`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
