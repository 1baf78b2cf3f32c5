// The language server as an editor sees it: started as a child process over stdio, driven by a
// real JSON-RPC client through initialize, didOpen, didChange and the feature requests, on the
// fixture workspace in test/fixtures/lsp (4 Tasklane tasks and a BullMQ processor; a config with
// a threads and an async worker).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEBUG_TASK_COMMAND, RUN_TASK_COMMAND, TasksRequest, type TaskCommandArgs } from '../../server/src/protocol.ts';
import { DEBOUNCE_MS } from '../../server/src/updates.ts';
import { fixtureRoot, fixtureText, fixtureUri, LspClient } from './lspClient.ts';

const TIMEOUT = { timeout: 180_000 };
const tasksUri = fixtureUri('src/tasks.ts');
const tasksPath = join(fixtureRoot, 'src/tasks.ts');
const original = fixtureText('src/tasks.ts');

/** 0-based line of the first line containing `needle` in the fixture's tasks file. */
function lineOf(needle: string, text = original): number {
  const line = text.split('\n').findIndex((candidate) => candidate.includes(needle));
  assert.ok(line >= 0, `no line with ${needle}`);
  return line;
}

/** The diagnostics' codes, of one task's problems when a task is named. */
function codes(diagnostics: Diagnostic[], task?: string): string[] {
  return diagnostics.filter((d) => task === undefined || (d.data as { task?: string } | undefined)?.task === task).map((d) => String(d.code)).sort();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function applyEdit(edit: WorkspaceEdit | undefined, uri: string, text: string): string {
  const edits = edit?.changes?.[uri];
  assert.ok(edits?.length, `the action edits ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 0, text), edits);
}

describe('language server over stdio', TIMEOUT, () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
    await client.open('src/tasks.ts');
  });

  after(async () => {
    await client?.stop();
  });

  it('publishes the problems of the open file, with source "tasklane"', TIMEOUT, async () => {
    const published = await client.waitForDiagnostics(tasksUri, (p) => p.diagnostics.length > 0);
    assert.ok(published.diagnostics.every((d) => d.source === 'tasklane'));
    // The CPU-bound crunch is routed to "io", served by the async worker: flagged where its queue is set.
    const crunch = published.diagnostics.find((d) => d.code === 'blocking-on-async' && (d.data as { task: string }).task === 'math.crunch');
    assert.ok(crunch, JSON.stringify(published.diagnostics));
    assert.equal(crunch.range.start.line, lineOf("}, { queue: 'io', retries: 2 });"));
    // readFileSync inside an async task, flagged on the call.
    const syncIo = published.diagnostics.find((d) => d.code === 'sync-io');
    assert.equal(syncIo?.range.start.line, lineOf('readFileSync(path'));
    assert.deepEqual(codes(published.diagnostics, 'files.digest'), ['blocking-on-async', 'sync-io']);
    // reports.* routes to "reports", which no worker serves.
    assert.deepEqual(codes(published.diagnostics, 'reports.monthly'), ['unserved-queue']);
    // http.ping is I/O on the async worker: nothing to say.
    assert.deepEqual(codes(published.diagnostics, 'http.ping'), []);
  });

  it('reports the cold analysis as work-done progress', TIMEOUT, async () => {
    const [begin, end] = client.progress;
    assert.equal(begin?.kind, 'begin');
    assert.equal((begin as { message?: string }).message, 'Analysing the tasks in fixture');
    assert.equal(end?.kind, 'end');
  });

  it('answers tasklane/tasks with every task and its verdict', TIMEOUT, async () => {
    const tasks = await client.connection.sendRequest(TasksRequest, {});
    assert.deepEqual(tasks.map((t) => t.name).sort(), ['files.digest', 'http.ping', 'mail', 'math.crunch', 'reports.monthly']);
    const crunch = tasks.find((t) => t.name === 'math.crunch')!;
    assert.equal(crunch.kind, 'cpu');
    assert.equal(crunch.blocking, true);
    assert.equal(crunch.file, tasksPath);
    assert.equal(crunch.queue, 'cpu');
    assert.equal(crunch.routedQueue, 'io');
    const ping = tasks.find((t) => t.name === 'http.ping')!;
    assert.equal(ping.kind, 'io');
    assert.equal(ping.pool, 'async');

    const folder = fixtureUri('').replace(/\/$/, '');
    const same = await client.connection.sendRequest(TasksRequest, { folder });
    assert.equal(same.length, 5);
    await assert.rejects(client.connection.sendRequest(TasksRequest, { folder: 'file:///nowhere' }), /file:\/\/\/nowhere is not a workspace folder/);
  });

  it('puts the verdict, Run and Debug lenses over each task', TIMEOUT, async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: tasksUri } })) ?? [];
    assert.equal(lenses.length, 4 * 3);
    const line = lineOf("app.task('math.crunch'");
    const crunch = lenses.filter((lens) => lens.range.start.line === line);
    assert.match(crunch[0].command!.title, /^suggest: threads × \d+ · queue cpu — CPU-bound · blocking$/);
    assert.equal(crunch[1].command!.command, RUN_TASK_COMMAND);
    assert.equal(crunch[2].command!.command, DEBUG_TASK_COMMAND);
    const args: TaskCommandArgs = { name: 'math.crunch', file: tasksPath, line: line + 1 };
    assert.deepEqual(crunch[1].command!.arguments, [args]);
    assert.deepEqual(crunch[2].command!.arguments, [args]);
  });

  it('puts the suggestion, Run and Debug over a BullMQ processor, and speaks BullMQ on hover', TIMEOUT, async () => {
    const mailUri = await client.open('src/mail.ts');
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: mailUri } })) ?? [];
    assert.deepEqual(lenses.map((lens) => lens.command!.title), ['suggest: inline × 100 — I/O-bound · now inline, concurrency 50', '$(play) Run', '$(debug-alt) Debug']);
    assert.match(lenses[0].command!.tooltip!, /^fetch\(\) .* \(src\/mail\.ts:5\)$/m);
    const text = fixtureText('src/mail.ts');
    const line = lineOf("new Worker('mail'", text);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: mailUri },
      position: { line, character: text.split('\n')[line].indexOf('Worker') },
    });
    const markdown = (hover?.contents as MarkupContent).value;
    assert.match(markdown, /^\*\*mailer · mail\.ts:4\*\* — I\/O-bound\n\nSuggested: inline × 100 — I\/O-bound · now inline, concurrency 50/);
    assert.match(markdown, /I\/O: .*fetch.* — \[src\/mail\.ts:\d+\]/);
    await client.close(mailUri);
  });

  it('shows the verdict and the evidence on hover over a task name, nothing inside its body', TIMEOUT, async () => {
    const line = lineOf("app.task('math.crunch'");
    const character = original.split('\n')[line].indexOf('math.crunch') + 2;
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: tasksUri }, position: { line, character } });
    const markdown = (hover?.contents as MarkupContent).value;
    assert.match(markdown, /\*\*math\.crunch\*\* — CPU-bound, \*\*blocks the event loop\*\*/);
    assert.match(markdown, /Suggested: pool `threads` × \d+, queue `cpu` \(routed today to `io`\)/);
    assert.match(markdown, /Cost: mostly CPU: .*\(heavy, blocks\)/, 'the cost breakdown');
    assert.match(markdown, /\[src\/tasks\.ts:\d+\]\(file:\/\/.*\/src\/tasks\.ts#L\d+\)/);

    const inside = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: tasksUri },
      position: { line: lineOf('let total = 0'), character: 4 },
    });
    assert.equal(inside, null);
  });

  it('re-analyses an edit and publishes new diagnostics (edit → publishDiagnostics latency logged)', TIMEOUT, async (t) => {
    const routedToCpu = original.replace("}, { queue: 'io', retries: 2 });", "}, { queue: 'cpu', retries: 2 });");
    assert.notEqual(routedToCpu, original);
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const fixed = i % 2 === 0;
      const started = performance.now();
      const version = await client.change(tasksUri, fixed ? routedToCpu : original);
      const published = await client.nextDiagnostics(tasksUri, (p) => p.version === version);
      latencies.push(performance.now() - started);
      assert.equal(codes(published.diagnostics, 'math.crunch').includes('blocking-on-async'), !fixed, `edit ${i}: ${JSON.stringify(published.diagnostics)}`);
    }
    t.diagnostic(`edit → publishDiagnostics over ${latencies.length} edits: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (includes the ${DEBOUNCE_MS} ms debounce)`);
  });

  it('re-analyses the dependents of an edited helper and announces the changed task list', TIMEOUT, async () => {
    const httpUri = await client.open('src/http.ts');
    const blocking = `import { execSync } from 'node:child_process';\n\nexport async function fetchStatus(url: string): Promise<number> {\n  execSync('sleep 1');\n  const response = await fetch(url);\n  return response.status;\n}\n`;
    const announced = client.nextTasksChanged();
    await client.change(httpUri, blocking);
    const published = await client.nextDiagnostics(tasksUri, (p) => codes(p.diagnostics, 'http.ping').length > 0);
    assert.deepEqual(codes(published.diagnostics, 'http.ping'), ['blocking-on-async']);
    assert.equal((await announced).folder, fixtureUri('').replace(/\/$/, ''));

    await client.change(httpUri, fixtureText('src/http.ts'));
    await client.nextDiagnostics(tasksUri, (p) => codes(p.diagnostics, 'http.ping').length === 0);
    await client.close(httpUri);
  });

  it('reports config errors in tasklane.config.json itself', TIMEOUT, async () => {
    const configUri = await client.open('tasklane.config.json');
    const broken = fixtureText('tasklane.config.json').replace('"pool": "threads"', '"pool": "thread"');
    await client.change(configUri, broken);
    const published = await client.nextDiagnostics(configUri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(published.diagnostics), ['config-error']);
    assert.match(String(published.diagnostics[0].message), /pool/);

    await client.change(configUri, fixtureText('tasklane.config.json'));
    await client.nextDiagnostics(configUri, (p) => p.diagnostics.length === 0);
    await client.close(configUri);
  });

  describe('quick fixes', () => {
    /** The code actions offered for a task's diagnostic in the current text. */
    async function fixesFor(code: string, task: string): Promise<CodeAction[]> {
      const current = await client.waitForDiagnostics(tasksUri, (p) => codes(p.diagnostics, task).includes(code));
      const diagnostic = current.diagnostics.find((d) => d.code === code && (d.data as { task: string }).task === task)!;
      return (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: tasksUri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      })) as CodeAction[];
    }

    it('routes a task to the suggested queue by editing its options', TIMEOUT, async () => {
      await client.change(tasksUri, original);
      const actions = await fixesFor('blocking-on-async', 'math.crunch');
      const route = actions.find((a) => a.title === "Route 'math.crunch' to queue 'cpu'");
      assert.ok(route, actions.map((a) => a.title).join(', '));
      assert.equal(route.kind, 'quickfix');
      const fixed = applyEdit(route.edit, tasksUri, original);
      assert.equal(fixed, original.replace("{ queue: 'io', retries: 2 }", "{ queue: 'cpu', retries: 2 }"));
      const version = await client.change(tasksUri, fixed);
      const published = await client.nextDiagnostics(tasksUri, (p) => p.version === version);
      assert.deepEqual(codes(published.diagnostics, 'math.crunch'), []);
    });

    it('adds the options argument when routing a task that has none', TIMEOUT, async () => {
      const withoutOptions = original.replace("}, { queue: 'io', retries: 2 });", '});');
      await client.change(tasksUri, withoutOptions);
      const actions = await fixesFor('blocking-on-async', 'math.crunch');
      const route = actions.find((a) => a.title === "Route 'math.crunch' to queue 'cpu'");
      assert.ok(route, actions.map((a) => a.title).join(', '));
      const fixed = applyEdit(route.edit, tasksUri, withoutOptions);
      assert.equal(fixed, original.replace("}, { queue: 'io', retries: 2 });", "}, { queue: 'cpu' });"));
    });

    it('offers no route for a blocking I/O task whose fix is its calls, not its queue', TIMEOUT, async () => {
      await client.change(tasksUri, original);
      const actions = await fixesFor('blocking-on-async', 'files.digest');
      assert.deepEqual(actions.filter((a) => a.title.startsWith('Route')), []);
    });

    it('turns readFileSync into await readFile inside the async task', TIMEOUT, async () => {
      await client.change(tasksUri, original);
      const actions = await fixesFor('sync-io', 'files.digest');
      const fix = actions.find((a) => a.title === 'Use await readFile() from node:fs/promises');
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      const fixed = applyEdit(fix.edit, tasksUri, original);
      assert.ok(fixed.startsWith("import { readFile } from 'node:fs/promises';\n"), fixed);
      assert.ok(fixed.includes("const text = await readFile(path, 'utf8');"));
      assert.ok(!fixed.includes('readFileSync'));
      const version = await client.change(tasksUri, fixed);
      const published = await client.nextDiagnostics(tasksUri, (p) => p.version === version);
      assert.ok(!codes(published.diagnostics).includes('sync-io'), JSON.stringify(published.diagnostics));
    });

    it('adds the missing worker to tasklane.config.json', TIMEOUT, async () => {
      await client.change(tasksUri, original);
      const actions = await fixesFor('unserved-queue', 'reports.monthly');
      const add = actions.find((a) => a.title.startsWith("Add worker 'reports' (async"));
      assert.ok(add, actions.map((a) => a.title).join(', '));
      const configUri = fixtureUri('tasklane.config.json');
      const config = applyEdit(add.edit, configUri, fixtureText('tasklane.config.json'));
      const worker = JSON.parse(config).workers.reports;
      assert.equal(worker.pool, 'async');
      assert.deepEqual(worker.queues, ['reports']);
      // The editor applies the edit to the config buffer: the task is served now.
      await client.open('tasklane.config.json', config);
      await client.nextDiagnostics(tasksUri, (p) => !codes(p.diagnostics, 'reports.monthly').includes('unserved-queue'));
      await client.close(configUri);
    });
  });
});
