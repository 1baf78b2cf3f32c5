// Tasklane's language server: one AnalysisService per workspace folder, fed the open buffers, with
// diagnostics, code lenses, hover, quick fixes and the task list (tasklane/tasks) for the sidebar.
// Transport from the command line as vscode-languageserver reads it: --node-ipc (the extension),
// --stdio (tests, other editors), --socket=N.
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, findConfig } from 'tasklane/config';
import { CodeActions } from './codeActions.ts';
import { taskLenses } from './codeLens.ts';
import { DiagnosticsPublisher } from './diagnostics.ts';
import { OpenDocuments } from './documents.ts';
import { Folders, type Folder } from './folders.ts';
import { taskHoverAt } from './hover.ts';
import { createLog } from './log.ts';
import { isAnalysed, isResolutionFile, pathOf, RESOLUTION_FILES } from './paths.ts';
import { MeasuredNotification, SchedulesRequest, SETTINGS_SECTION, TasksChangedNotification, TasksRequest, type TasksParams } from './protocol.ts';
import { readSettings } from './settings.ts';
import { forget } from './syntax.ts';
import { UpdateQueue } from './updates.ts';

const connection = createConnection(ProposedFeatures.all);
const log = createLog(connection.console);
const textDocuments = new TextDocuments(TextDocument);
const documents = new OpenDocuments(textDocuments);
const folders = new Folders(log);
const diagnostics = new DiagnosticsPublisher(connection, documents, folders);
const codeActions = new CodeActions(documents, log);
let capabilities: ClientCapabilities = {};

// Edits and requests wait for the folders' settings (they decide whether and how deep to analyse)
// and for the cold analysis, which runs under a progress report.
let initialised: () => void = () => {};
const ready = new Promise<void>((resolve) => (initialised = resolve));

const updates = new UpdateQueue(
  folders,
  {
    publish: (path) => diagnostics.publish(path),
    tasksTouched: (folder) => {
      if (!folder.tasksChanged()) return;
      void connection.sendNotification(TasksChangedNotification, { folder: folder.uri });
      // Lenses of files that were not edited may have changed too (a helper's verdict moved).
      if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
    },
  },
  log,
  ready,
);

// The server must outlive any bug in a handler: log it and keep serving.
process.on('uncaughtException', (error) => log.error('unexpected error', error));
process.on('unhandledRejection', (error) => log.error('unexpected rejection', error));

/**
 * Sends again every diagnostic a folder's (re)analysis may change. A folder not analysed yet is
 * analysed cold first, under a progress report (seconds in a big workspace).
 */
async function refresh(folder: Folder): Promise<void> {
  if (!folder.enabled || folder.analysed) return republishFolder(folder);
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Tasklane', undefined, `Analysing the tasks in ${folder.name}`);
  // Let the progress report go out before the analysis holds the event loop.
  await nextTurn();
  try {
    republishFolder(folder);
  } finally {
    progress.done();
  }
}

function republishFolder(folder: Folder): void {
  const open = documents.paths().filter((path) => folders.of(path) === folder && isAnalysed(path));
  const paths = new Set<string>([...diagnostics.shownPaths().filter((path) => folders.of(path) === folder), ...open]);
  if (folder.enabled) {
    // A cold analysis reads the disk: the open buffers' unsaved text goes in after it.
    if (!folder.analysed) for (const path of open) updates.change(path, { text: documents.byPath(path)!.getText() });
    const config = findConfig(folder.root);
    if (config) paths.add(config);
    for (const task of folder.tasks()) {
      paths.add(task.file);
      for (const evidence of task.evidence) paths.add(evidence.file);
    }
  }
  updates.republish(paths, folder);
}

async function loadSettings(folder: Folder): Promise<void> {
  if (!capabilities.workspace?.configuration) return;
  let raw: unknown;
  try {
    raw = await connection.workspace.getConfiguration({ scopeUri: folder.uri, section: SETTINGS_SECTION });
  } catch (error) {
    log.error(`[${folder.name}] could not read the ${SETTINGS_SECTION} settings; using the defaults`, error);
    return;
  }
  const { settings, problems } = readSettings(raw);
  for (const problem of problems) void connection.window.showWarningMessage(`Tasklane: ${problem}`);
  const before = folder.settings;
  folder.settings = settings;
  if (before.analysis.enable !== settings.analysis.enable || before.analysis.maxDepth !== settings.analysis.maxDepth) folder.reset();
}

/** The folder of a file the server analyses, with the file's pending edit applied; else undefined. */
async function current(uri: string, token: CancellationToken): Promise<{ folder: Folder; path: string } | undefined> {
  await ready;
  const path = pathOf(uri);
  const folder = path && isAnalysed(path) ? folders.of(path) : undefined;
  if (!path || !folder?.enabled) return undefined;
  updates.applyNow(path);
  // One turn of the event loop lets a $/cancelRequest for this request arrive.
  await nextTurn();
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  return { folder, path };
}

connection.onInitialize((params) => {
  capabilities = params.capabilities;
  const initial = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: basename(pathOf(params.rootUri) ?? params.rootUri) }] : []);
  for (const folder of initial) folders.add(folder.uri, folder.name);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'tasklane' },
  };
});

connection.onInitialized(async () => {
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  }
  if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' }, { globPattern: `**/${CONFIG_FILE}` },
        ...RESOLUTION_FILES.map((name) => ({ globPattern: `**/${name}` }))],
    });
  }
  if (capabilities.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
      for (const removed of event.removed) {
        const folder = folders.remove(removed.uri);
        // Its files' diagnostics now come from no folder (cleared) or from an enclosing one.
        if (folder) updates.republish(diagnostics.shownPaths().filter((path) => folder.contains(path)));
      }
      for (const added of event.added) {
        const folder = folders.add(added.uri, added.name);
        if (!folder) continue;
        await loadSettings(folder);
        await refresh(folder);
      }
    });
  }
  try {
    await Promise.all(folders.all().map(loadSettings));
    for (const folder of folders.all()) await refresh(folder);
  } catch (error) {
    log.error('starting the analysis failed; serving what there is', error);
  } finally {
    // Whatever happened above, edits and requests must not wait forever.
    initialised();
  }
});

connection.onDidChangeConfiguration(async () => {
  for (const folder of folders.all()) {
    await loadSettings(folder);
    await refresh(folder);
  }
  if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
});

textDocuments.onDidChangeContent(({ document }) => {
  const path = pathOf(document.uri);
  if (path && isAnalysed(path)) updates.change(path, { text: document.getText() });
});

textDocuments.onDidClose(({ document }) => {
  forget(document.uri);
  const path = pathOf(document.uri);
  // The file on disk is the truth again (the buffer may have been closed without saving).
  if (path && isAnalysed(path)) updates.change(path, { text: undefined });
});

connection.onDidChangeWatchedFiles(async ({ changes }) => {
  const reresolve = new Set<Folder>();
  for (const change of changes) {
    const path = pathOf(change.uri);
    const folder = path && isResolutionFile(path) ? folders.of(path) : undefined;
    if (folder) reresolve.add(folder);
    // An open buffer outranks the disk.
    if (!path || !isAnalysed(path) || documents.byPath(path)) continue;
    updates.change(path, change.type === FileChangeType.Deleted ? 'deleted' : { text: undefined });
  }
  if (!reresolve.size) return;
  await ready;
  // Workspace packages, aliases and references are read once per analysis: start it over, cold.
  for (const folder of reresolve) {
    log.info(`[${folder.name}] package.json or tsconfig changed: analysing the folder again`);
    folder.reset();
    await refresh(folder);
  }
});

/** A request's answer; a bug in computing it costs a logged stack and an empty answer, not the request. */
async function answer<T>(what: string, fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ResponseError) throw error;
    log.error(`${what} failed`, error);
    return fallback;
  }
}

connection.onCodeLens((params, token) =>
  answer(`code lenses of ${params.textDocument.uri}`, [], async () => {
    const at = await current(params.textDocument.uri, token);
    if (!at || !at.folder.settings.codeLens.enable) return [];
    return taskLenses(at.folder.tasks().filter((task) => task.file === at.path), at.folder.root);
  }),
);

connection.onHover((params, token) =>
  answer(`hover in ${params.textDocument.uri}`, null, async () => {
    const at = await current(params.textDocument.uri, token);
    const document = textDocuments.get(params.textDocument.uri);
    if (!at || !document) return null;
    const tasks = at.folder.tasks().filter((task) => task.file === at.path);
    return taskHoverAt(document, tasks, params.position, at.folder.root, at.folder.measured);
  }),
);

connection.onCodeAction((params, token) =>
  answer(`quick fixes in ${params.textDocument.uri}`, [], async () => {
    const at = await current(params.textDocument.uri, token);
    return at ? codeActions.forDiagnostics(at.folder, at.path, params.context.diagnostics) : [];
  }),
);

/** The folders a `tasklane/tasks` or `tasklane/schedules` request names (all without one), with pending edits applied. */
async function requested(method: string, params: TasksParams, token: CancellationToken): Promise<Folder[]> {
  await ready;
  const named = params.folder === undefined ? undefined : folders.byUri(params.folder);
  if (params.folder !== undefined && !named) {
    const known = folders.all().map((folder) => folder.uri).join(', ') || 'none';
    throw new ResponseError(LSPErrorCodes.RequestFailed, `${method}: ${params.folder} is not a workspace folder (known: ${known})`);
  }
  const chosen = named ? [named] : folders.all();
  updates.applyNow();
  await nextTurn();
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  return chosen.filter((folder) => folder.enabled);
}

connection.onRequest(TasksRequest, async (params, token) =>
  (await requested('tasklane/tasks', params, token)).flatMap((folder) => folder.tasks()));

connection.onRequest(SchedulesRequest, async (params, token) =>
  (await requested('tasklane/schedules', params, token)).flatMap((folder) => folder.schedules()));

connection.onNotification(MeasuredNotification, async ({ folder: uri, tasks: summaries }) => {
  await ready;
  const folder = folders.byUri(uri);
  if (!folder) return log.warn(`tasklane/measured: ${uri} is not a workspace folder`);
  const before = folder.measured;
  folder.measured = new Map(summaries.map((summary) => [summary.task, summary]));
  const changed = new Set([...before.keys(), ...folder.measured.keys()]
    .filter((task) => JSON.stringify(before.get(task)) !== JSON.stringify(folder.measured.get(task))));
  if (!changed.size || !folder.enabled) return;
  // Only the files of the tasks whose figures moved need their diagnostics again.
  updates.republish(new Set(folder.tasks().filter((task) => changed.has(task.name)).map((task) => task.file)));
});

textDocuments.listen(connection);
connection.listen();
