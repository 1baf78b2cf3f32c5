import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  MeasuredNotification, SchedulesRequest, SETTINGS_SECTION, TasksChangedNotification, TasksRequest, type MeasuredSummary, type ScheduleFound, type TaskAnalysis,
} from '@tasklane/server/protocol';

/**
 * The client of the bundled language server (dist/server.js over IPC): diagnostics, code lenses,
 * hovers and quick fixes in TypeScript/JavaScript and tasklane.config.json, plus the task list
 * the sidebar shows (`tasklane/tasks`, refreshed on `tasklane/tasksChanged`).
 */
export class AnalysisClient implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the URI of the folder whose tasks changed. */
  readonly onTasksChanged = this.changed.event;

  constructor(context: vscode.ExtensionContext) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const scripts = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        ...scripts.map((language) => ({ scheme: 'file', language })),
        { scheme: 'file', pattern: '**/tasklane.config.json' },
      ],
      synchronize: {
        // Settings are pulled per workspace folder (workspace/configuration); this notifies changes.
        configurationSection: SETTINGS_SECTION,
        // Files not open in an editor still change the analysis (imports, the config).
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{tasklane.config.json,*.ts,*.mts,*.cts,*.js,*.mjs,*.cjs}'),
      },
    };
    this.client = new LanguageClient('tasklane', 'Tasklane Language Server', serverOptions, clientOptions);
  }

  async start(): Promise<void> {
    await this.client.start();
    this.client.onNotification(TasksChangedNotification, ({ folder }) => this.changed.fire(folder));
  }

  /** Every task the analysis found in a folder (or in all of them). */
  async tasks(folder?: vscode.WorkspaceFolder): Promise<TaskAnalysis[]> {
    if (!this.client.isRunning()) return [];
    return this.client.sendRequest(TasksRequest, folder ? { folder: folder.uri.toString() } : {});
  }

  /** The schedules the analysis found in code (app.schedule(...)) in a folder (or in all of them). */
  async schedules(folder?: vscode.WorkspaceFolder): Promise<ScheduleFound[]> {
    if (!this.client.isRunning()) return [];
    return this.client.sendRequest(SchedulesRequest, folder ? { folder: folder.uri.toString() } : {});
  }

  /** What the folder's recorded runs measured, for the hover and the measured-vs-predicted diagnostic. */
  async sendMeasured(folder: vscode.WorkspaceFolder, tasks: MeasuredSummary[]): Promise<void> {
    if (this.client.isRunning()) await this.client.sendNotification(MeasuredNotification, { folder: folder.uri.toString(), tasks });
  }

  dispose(): void {
    this.changed.dispose();
    void this.client.stop().catch(() => undefined);
  }
}
