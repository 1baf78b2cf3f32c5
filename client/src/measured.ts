// Measured beside predicted, the extension's part: workers keep each task's recent runs on the
// broker; this reads them and hands the figures to the language server (tasklane/measured), which
// shows them in the hover and compares them with the analysis. Read when the broker connects, and
// after new runs ended, on the next heartbeat or worker-offline event: workers hand their runs to
// the broker just before those.
import * as vscode from 'vscode';
import { summarizeRuns, type TaskEvent } from 'tasklane/contract';
import type { MeasuredSummary } from '@tasklane/server/protocol';
import type { BrokerConnection } from './brokerConnection.ts';

const RUN_ENDED: ReadonlySet<TaskEvent['type']> = new Set(['task-succeeded', 'task-failed', 'task-retried', 'task-revoked']);
const RUNS_HANDED_OVER: ReadonlySet<TaskEvent['type']> = new Set(['worker-heartbeat', 'worker-offline']);

export class MeasuredRuns implements vscode.Disposable {
  private stale = false;
  private reading: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly connection: BrokerConnection,
    private readonly send: (tasks: MeasuredSummary[]) => Promise<void>,
  ) {
    this.subscriptions = [
      connection.onEvent((event) => {
        if (RUN_ENDED.has(event.type)) this.stale = true;
        else if (this.stale && RUNS_HANDED_OVER.has(event.type)) this.refresh();
      }),
      connection.onDidChange(() => { if (connection.broker) this.refresh(); }),
    ];
  }

  /** Reads the runs again and sends them (one read at a time; a failed read waits for the next occasion). */
  refresh(): void {
    this.stale = false;
    this.reading = this.reading.then(async () => {
      const broker = this.connection.broker;
      if (!broker) return;
      const summaries = (await broker.measuredRuns()).map(summarizeRuns).filter((s) => s !== undefined);
      await this.send(summaries);
    }).catch(() => undefined);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
