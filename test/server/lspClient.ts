// A language client for the LSP tests: starts the server as an editor would (a child process
// speaking JSON-RPC over stdio, or over Node IPC as the extension does) and talks to it through
// vscode-languageserver-protocol.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { TasksChangedNotification, type TasksChangedParams } from '../../server/src/protocol.ts';

const repoRoot = join(__dirname, '../..');
export const fixtureRoot = join(__dirname, '../fixtures/lsp');

export function fixtureUri(relativePath: string): string {
  return pathToFileURL(join(fixtureRoot, relativePath)).href;
}

export function fixtureText(relativePath: string): string {
  return readFileSync(join(fixtureRoot, relativePath), 'utf8');
}

interface Waiter {
  uri: string;
  accept: (params: PublishDiagnosticsParams) => boolean;
  resolve: (params: PublishDiagnosticsParams) => void;
}

export class LspClient {
  /** The latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly tasksChanged: TasksChangedParams[] = [];
  private tasksChangedWaiters: Array<(params: TasksChangedParams) => void> = [];
  readonly messages: string[] = [];
  readonly log: string[] = [];
  /** Work-done progress the server reported, in order. */
  readonly progress: Array<WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd> = [];
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly connection: ProtocolConnection,
    private readonly child: ChildProcess,
    public settings: unknown,
    /** The client answers workspace/configuration once this resolves. */
    private readonly settingsGate: Promise<void>,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification(TasksChangedNotification, (params) => {
      this.tasksChanged.push(params);
      for (const resolve of this.tasksChangedWaiters.splice(0)) resolve(params);
    });
    connection.onNotification(LogMessageNotification.type, (params) => { this.log.push(params.message); });
    connection.onNotification(ShowMessageNotification.type, (params) => { this.messages.push(params.message); });
    connection.onRequest(ConfigurationRequest.type, async (params) => {
      await this.settingsGate;
      return params.items.map(() => this.settings);
    });
    connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params.message);
      return null;
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => { this.progress.push(value); });
    });
    connection.onRequest(CodeLensRefreshRequest.type, () => undefined);
  }

  /** Starts the server on the fixture workspace (or another root) and completes the initialize handshake. */
  static async start(options: { root?: string; settings?: unknown; settingsGate?: Promise<void>; transport?: 'stdio' | 'ipc' } = {}): Promise<LspClient> {
    const root = options.root ?? fixtureRoot;
    let child: ChildProcess;
    let connection: ProtocolConnection;
    if (options.transport === 'ipc') {
      // As the extension starts it (vscode-languageclient's TransportKind.ipc): a forked Node process.
      child = fork('server/src/server.ts', ['--node-ipc'], { cwd: repoRoot, execArgv: ['--import', 'tsx', '--conditions=tasklane-source'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      child = spawn(process.execPath, ['--import', 'tsx', '--conditions=tasklane-source', 'server/src/server.ts', '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
      connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    const client = new LspClient(connection, child, options.settings ?? {}, options.settingsGate ?? Promise.resolve());
    connection.listen();
    const rootUri = pathToFileURL(root).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'fixture' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(relativePath: string, text = fixtureText(relativePath)): Promise<string> {
    const uri = fixtureUri(relativePath);
    const languageId = relativePath.endsWith('.json') ? 'json' : 'typescript';
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replaces the whole text of an open document (a full-text change event). */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** The next (or current) diagnostics of a URI that satisfy a condition. */
  waitForDiagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 60_000): Promise<PublishDiagnosticsParams> {
    const current = this.diagnostics.get(uri);
    if (current && accept(current)) return Promise.resolve(current);
    return this.nextDiagnostics(uri, accept, timeoutMs);
  }

  /** Only diagnostics published from now on. */
  nextDiagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 60_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { uri, accept, resolve: (params) => { clearTimeout(timer); resolve(params); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const last = this.diagnostics.get(uri);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(last?.diagnostics.map((d) => `${d.code}: ${d.message}`))}\nserver log:\n${this.log.join('\n')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The next tasklane/tasksChanged notification. */
  nextTasksChanged(timeoutMs = 60_000): Promise<TasksChangedParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no tasklane/tasksChanged within ${timeoutMs} ms`)), timeoutMs);
      this.tasksChangedWaiters.push((params) => { clearTimeout(timer); resolve(params); });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      const timer = setTimeout(() => this.child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
      this.connection.dispose();
    }
  }
}

/**
 * Call inside a describe: a server on the fixture workspace for its tests, with src/tasks.ts open
 * and its first diagnostics in; the returned function gives the client.
 */
export function clientWithTasksOpen(): () => LspClient {
  let client: LspClient | undefined;
  before(async () => {
    client = await LspClient.start();
    await client.open('src/tasks.ts');
    await client.waitForDiagnostics(fixtureUri('src/tasks.ts'), (p) => p.diagnostics.length > 0);
  });
  after(async () => {
    await client?.stop();
  });
  return () => client!;
}
