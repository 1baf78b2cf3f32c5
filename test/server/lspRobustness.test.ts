// The language server under conditions an editor creates all the time: code broken mid-typing,
// bursts of edits, cancelled requests, settings that switch features off or are wrong.
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import {
  CancellationTokenSource,
  CodeLensRequest,
  DidChangeWorkspaceFoldersNotification,
  LSPErrorCodes,
  ResponseError,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { TasksRequest } from '../../server/src/protocol.ts';
import { clientWithTasksOpen, fixtureText, fixtureUri, LspClient } from './lspClient.ts';

const TIMEOUT = { timeout: 180_000 };
const tasksUri = fixtureUri('src/tasks.ts');
const original = fixtureText('src/tasks.ts');

describe('language server robustness', TIMEOUT, () => {
  const session = clientWithTasksOpen();

  it('survives code broken mid-typing and recovers when it is whole again', TIMEOUT, async () => {
    const client = session();
    const brokenUri = await client.open('src/broken.ts', "import { app } from './tasks.ts';\nexport const t = app.task('half.typed', async (x: number) => {\n  for (let i = 0; i < x; i++) {\n");
    const garbage = await client.open('src/garbage.ts', '}}}) app.task(( => <<< "\u0000 export export const = = ;;; for (;;) { while');
    await client.change(tasksUri, original.replace("app.task('math.crunch'", "app.task('math.crunch', ((("));
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: brokenUri } });
    assert.ok(Array.isArray(lenses));
    const tasks = await client.connection.sendRequest(TasksRequest, {});
    assert.ok(Array.isArray(tasks));

    const version = await client.change(tasksUri, original);
    const published = await client.nextDiagnostics(tasksUri, (p) => p.version === version);
    assert.ok(published.diagnostics.some((d) => d.code === 'blocking-on-async'), 'the analysis is back once the code is whole');
    await client.close(brokenUri);
    await client.close(garbage);
  });

  it('lets a burst of edits cancel the work of the older ones', TIMEOUT, async () => {
    const client = session();
    const seen: PublishDiagnosticsParams[] = [];
    const last = 30;
    let version = 0;
    const settled = client.nextDiagnostics(tasksUri, (p) => {
      seen.push(p);
      return p.version === version;
    });
    for (let i = 1; i <= last; i++) {
      version = await client.change(tasksUri, `${original}\n// edit ${i}\n`);
    }
    const final = await settled;
    assert.equal(final.version, version);
    // Edits closer together than the debounce are analysed once, not thirty times.
    assert.ok(seen.length < last / 2, `${seen.length} publications for ${last} edits`);
  });

  it('forgets a removed workspace folder and analyses one added', TIMEOUT, async () => {
    const client = session();
    const folder = { uri: fixtureUri(''), name: 'fixture' };
    const cleared = client.nextDiagnostics(tasksUri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [folder] } });
    await cleared;
    assert.deepEqual(await client.connection.sendRequest(TasksRequest, {}), []);

    const back = client.nextDiagnostics(tasksUri, (p) => p.diagnostics.length > 0);
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [folder], removed: [] } });
    await back;
    assert.equal((await client.connection.sendRequest(TasksRequest, { folder: folder.uri })).length, 5);
  });
});

test('answers a request cancelled while it waits with RequestCancelled', TIMEOUT, async () => {
  // Requests wait for the folders' settings; this client holds them back until the cancellation is
  // on the wire. One pipe, read in order: request, $/cancelRequest, then the settings.
  let release!: () => void;
  const client = await LspClient.start({ settingsGate: new Promise<void>((resolve) => (release = resolve)) });
  try {
    await client.open('src/tasks.ts');
    const source = new CancellationTokenSource();
    const request = client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tasksUri } }, source.token);
    source.cancel();
    release();
    await assert.rejects(request, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled);
    // The server goes on serving.
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tasksUri } });
    assert.equal(lenses?.length, 4 * 3);
  } finally {
    await client.stop();
  }
});

describe('language server settings', TIMEOUT, () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start({ settings: { analysis: { enable: true, maxDepth: 'deep' }, codeLens: { enable: false } } });
    await client.open('src/tasks.ts');
    await client.waitForDiagnostics(tasksUri, (p) => p.diagnostics.length > 0);
  });

  after(async () => {
    await client?.stop();
  });

  it('says which setting is wrong and uses its default', TIMEOUT, async () => {
    assert.ok(
      client.messages.some((m) => m.includes('tasklane.analysis.maxDepth must be a whole number') && m.includes('"deep"')),
      client.messages.join('\n'),
    );
  });

  it('follows helpers only as deep as tasklane.analysis.maxDepth says', TIMEOUT, async () => {
    const kindOfPing = async (): Promise<string | undefined> =>
      (await client.connection.sendRequest(TasksRequest, {})).find((task) => task.name === 'http.ping')?.kind;
    // http.ping's I/O is one call down, in src/http.ts.
    assert.equal(await kindOfPing(), 'io');
    const announced = client.nextTasksChanged();
    await client.changeSettings({ analysis: { maxDepth: 0 }, codeLens: { enable: false } });
    await announced;
    assert.equal(await kindOfPing(), 'unknown');
    const restored = client.nextTasksChanged();
    await client.changeSettings({ codeLens: { enable: false } });
    await restored;
    assert.equal(await kindOfPing(), 'io');
  });

  it('shows no lenses with tasklane.codeLens.enable off', TIMEOUT, async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tasksUri } });
    assert.deepEqual(lenses, []);
  });

  it('clears diagnostics and tasks when tasklane.analysis.enable is switched off, and brings them back', TIMEOUT, async () => {
    const cleared = client.nextDiagnostics(tasksUri, (p) => p.diagnostics.length === 0);
    await client.changeSettings({ analysis: { enable: false } });
    await cleared;
    assert.deepEqual(await client.connection.sendRequest(TasksRequest, {}), []);

    const back = client.nextDiagnostics(tasksUri, (p) => p.diagnostics.length > 0);
    await client.changeSettings({ analysis: { enable: true } });
    await back;
    assert.equal((await client.connection.sendRequest(TasksRequest, {})).length, 5);
  });
});
