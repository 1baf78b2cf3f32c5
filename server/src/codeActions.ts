// Quick fixes for Tasklane's diagnostics. Each diagnostic is matched back to the analyzer's current
// problem (same code, same start) so the fix is computed from what the analysis knows now, not
// from what the client kept.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, findConfig, type WorkerConfig } from 'tasklane/config';
import type { Problem, ProblemCode, Replacement, TaskAnalysis } from '@tasklane/analyzer';
import { SOURCE } from './diagnostics.ts';
import type { OpenDocuments } from './documents.ts';
import type { Folder } from './folders.ts';
import type { Log } from './log.ts';
import { addWorkerEdits, configWorkers, servesQueue, workerName, type WorkerSpec } from './fixes/addWorker.ts';
import { routeToQueueEdits } from './fixes/routeToQueue.ts';
import { syncToAsyncEdits } from './fixes/syncToAsync.ts';
import { toLspRange } from './ranges.ts';

/** Problems a different queue solves. */
const ROUTING: ReadonlySet<ProblemCode> = new Set(['blocking-on-async', 'pool-mismatch', 'unpreemptible-time-limit', 'unserved-queue']);

function samePlace(problem: Problem, diagnostic: Diagnostic): boolean {
  const start = toLspRange(problem.range).start;
  return problem.code === diagnostic.code && start.line === diagnostic.range.start.line && start.character === diagnostic.range.start.character;
}

function replacementOf(problem: Problem): Replacement | undefined {
  const replacement = problem.data?.replacement as Partial<Replacement> | undefined;
  return typeof replacement?.name === 'string' && typeof replacement.from === 'string' ? { name: replacement.name, from: replacement.from } : undefined;
}

function quickFix(title: string, diagnostic: Diagnostic, changes: Record<string, TextEdit[]>, isPreferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred, edit: { changes } };
}

export class CodeActions {
  constructor(private readonly documents: OpenDocuments, private readonly log: Log) {}

  /** The fixes for the given diagnostics of one file. */
  forDiagnostics(folder: Folder, path: string, diagnostics: Diagnostic[]): CodeAction[] {
    const ours = diagnostics.filter((diagnostic) => diagnostic.source === SOURCE);
    if (!ours.length) return [];
    const problems = folder.problems(path);
    const tasks = folder.tasks();
    const actions: CodeAction[] = [];
    for (const diagnostic of ours) {
      const problem = problems.find((candidate) => samePlace(candidate, diagnostic));
      if (!problem) continue;
      const task = problem.task === undefined ? undefined : tasks.find((t) => t.name === problem.task && t.file === path) ?? tasks.find((t) => t.name === problem.task);
      // One fix that cannot be computed must not cost the others.
      try {
        if (problem.code === 'sync-io') actions.push(...this.syncToAsync(path, problem, diagnostic));
        if (task && ROUTING.has(problem.code)) actions.push(...this.routing(folder, task, problem, diagnostic));
      } catch (error) {
        this.log.error(`computing the fixes for "${problem.message}" in ${path} failed`, error);
      }
    }
    return actions;
  }

  private syncToAsync(path: string, problem: Problem, diagnostic: Diagnostic): CodeAction[] {
    const replacement = replacementOf(problem);
    const document = this.documents.read(path);
    const edits = replacement && document ? syncToAsyncEdits(document, problem.range, replacement) : undefined;
    if (!replacement || !document || !edits) return [];
    return [quickFix(`Use await ${replacement.name}() from ${replacement.from}`, diagnostic, { [document.uri]: edits }, true)];
  }

  /** Route the task to the suggested queue; and add a worker for a queue nobody serves. */
  private routing(folder: Folder, task: TaskAnalysis, problem: Problem, diagnostic: Diagnostic): CodeAction[] {
    const actions: CodeAction[] = [];
    const suggested = typeof problem.data?.queue === 'string' && problem.data.queue !== task.routedQueue ? problem.data.queue : task.queue;
    const taskDocument = this.documents.read(task.file);
    // An I/O task that blocks only through calls with async twins is fixed in its calls (sync-io),
    // not by moving it to a pool of a few threads.
    const routable = !(problem.code === 'blocking-on-async' && task.kind === 'io' && task.problems.some((p) => p.code === 'sync-io'));
    if (routable && suggested !== task.routedQueue && taskDocument) {
      const edits = routeToQueueEdits(taskDocument, task, suggested);
      if (edits) actions.push(quickFix(`Route '${task.name}' to queue '${suggested}'`, diagnostic, { [taskDocument.uri]: edits }, true));
    }

    // The config the analysis read: the folder's, else the nearest above it.
    const configPath = findConfig(folder.root);
    const config = configPath && this.documents.read(configPath);
    const workers = config && configWorkers(config.getText());
    if (!config || !workers) return actions;
    // An unserved queue wants a worker; otherwise the queue the route fix sends the task to might.
    const queue = problem.code === 'unserved-queue' ? task.routedQueue : suggested;
    if (!servesQueue(workers, queue)) {
      actions.push(this.addWorker(config, workers, { queue, pool: task.pool, concurrency: task.concurrency }, diagnostic));
    }
    return actions;
  }

  private addWorker(config: TextDocument, workers: Record<string, WorkerConfig>, spec: WorkerSpec, diagnostic: Diagnostic): CodeAction {
    const name = workerName(workers, spec);
    const edits = addWorkerEdits(config, name, spec);
    return quickFix(
      `Add worker '${name}' (${spec.pool} × ${spec.concurrency}, queue ${spec.queue}) to ${CONFIG_FILE}`,
      diagnostic,
      { [config.uri]: edits },
    );
  }
}
