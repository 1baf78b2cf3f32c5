import * as vscode from 'vscode';
import type { Broker } from 'tasklane/broker';
import { cpuShare, type Run, type RunStore } from './runs.ts';

export const RUN_SCHEME = 'tasklane-run';

/**
 * Read-only documents showing one run: its payload (task, queue, args) and its result or error
 * with the stack, so nothing asks to be saved when closed. The result is fetched from the broker's
 * result backend when the events did not carry it.
 */
export class RunDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** An open run document follows its run (started, then succeeded with its result). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly runs: RunStore, private readonly broker: () => Broker | undefined) {
    runs.onDidChange((run) => { if (run) this.changed.fire(this.uriFor(run)); });
  }

  uriFor(run: Run): vscode.Uri {
    return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/${run.task} ${run.jobId ? `job ${run.jobId}` : run.id.slice(0, 8)}.json`, query: run.id });
  }

  async open(run: Run): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(this.uriFor(run));
    return vscode.window.showTextDocument(document, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const run = this.runs.get(uri.query);
    if (!run) return JSON.stringify({ id: uri.query, note: 'this run is no longer in the Runs view' }, null, 2);
    // A BullMQ job's outcome comes from BullMQ, never from Tasklane's broker.
    if (run.result === undefined && !run.error && !run.jobId) {
      const stored = await this.broker()?.getResult(run.id).catch(() => undefined);
      if (stored) this.runs.applyResult(stored);
    }
    return render(this.runs.get(run.id) ?? run);
  }
}

export function render(run: Run): string {
  const share = cpuShare(run);
  return JSON.stringify({
    task: run.task,
    id: run.id,
    state: run.state,
    queue: run.queue,
    args: run.args,
    ...(run.jobId && { job: run.jobId, data: run.data }),
    ...(run.error
      ? { error: { name: run.error.name, message: run.error.message, stack: run.error.stack?.split('\n').map((l) => l.trim()) } }
      : { result: run.result }),
    ...(run.reason && { reason: run.reason }),
    worker: run.worker,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    ...(share !== undefined && { cpuShare: Math.round(share * 1000) / 1000 }),
    retries: run.retries,
  }, null, 2);
}
