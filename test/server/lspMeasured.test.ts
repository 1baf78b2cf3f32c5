// Measured beside predicted in the language server: the thresholds (pure), then the real server over
// stdio fed `tasklane/measured` as the extension sends it, checked through hover and diagnostics.
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import type { TaskAnalysis } from '@tasklane/analyzer';
import type { MeasuredSummary } from 'tasklane/contract';
import { MEASURED_CODE, measuredDisagreement, measuredHoverLine } from '../../server/src/measured.ts';
import { MeasuredNotification } from '../../server/src/protocol.ts';
import { clientWithTasksOpen, fixtureRoot, fixtureText, fixtureUri } from './lspClient.ts';

const TIMEOUT = { timeout: 180_000 };

function task(fields: Partial<TaskAnalysis>): TaskAnalysis {
  return {
    name: 't', framework: 'tasklane', file: '/w/t.ts', line: 1, range: { file: '/w/t.ts', startLine: 1, startColumn: 0, endLine: 1, endColumn: 10 },
    kind: 'io', blocking: false, pool: 'async', concurrency: 100, queue: 'io', routedQueue: 'io', routedPool: 'async',
    summary: '', breakdown: '', evidence: [], problems: [], ...fields,
  };
}
const measured = (cpuShare: number, runs = 41): MeasuredSummary => ({ task: 't', runs, cpuShare, medianWallMs: 120 });

test('the hover line says the share, the runs and the median', () => {
  assert.equal(measuredHoverLine(measured(0.934)), 'Measured: 93 % CPU over 41 runs (median 120ms)');
  assert.equal(measuredHoverLine({ ...measured(0.5), runs: 1 }), 'Measured: 50 % CPU over 1 run (median 120ms)');
});

test('disagreement: busy on an async worker or predicted I/O; idle when predicted CPU; not below 10 runs; never for BullMQ', () => {
  const busyOnAsync = measuredDisagreement(task({}), measured(0.93));
  assert.equal(busyOnAsync?.severity, DiagnosticSeverity.Warning);
  assert.match(busyOnAsync!.message, /^Task 't' runs on an async worker \(queue 'io'\) and the analysis predicts I\/O-bound, but its last 41 runs measured 93 % CPU \(median 120ms\)/);
  assert.equal(measuredDisagreement(task({}), measured(0.7))?.severity, DiagnosticSeverity.Warning, '70 % is busy');
  assert.equal(measuredDisagreement(task({}), measured(0.69)), undefined);
  assert.equal(measuredDisagreement(task({}), measured(0.93, 9)), undefined, 'too few runs');
  assert.equal(measuredDisagreement(task({ framework: 'bullmq' }), measured(0.93)), undefined);
  // CPU-bound on a threads worker, measured busy: they agree.
  const cpuTask = task({ kind: 'cpu', pool: 'threads', queue: 'cpu', routedQueue: 'cpu', routedPool: 'threads' });
  assert.equal(measuredDisagreement(cpuTask, measured(0.93)), undefined);
  const idle = measuredDisagreement(cpuTask, measured(0.2));
  assert.equal(idle?.severity, DiagnosticSeverity.Information);
  assert.match(idle!.message, /predicts task 't' is CPU-bound, but its last 41 runs measured 20 % CPU/);
  assert.equal(measuredDisagreement(cpuTask, measured(0.21)), undefined);
  assert.equal(measuredDisagreement({ ...cpuTask, routedPool: 'async' }, measured(0.1)), undefined, 'a low share on an async worker proves nothing');
  // Predicted I/O, not on an async worker (none known, or threads): the prediction is what is wrong.
  for (const routedPool of [undefined, 'threads'] as const) {
    const wrongGuess = measuredDisagreement(task({ routedPool }), measured(0.9));
    assert.equal(wrongGuess?.severity, DiagnosticSeverity.Warning);
    assert.match(wrongGuess!.message, /^The analysis predicts task 't' is I\/O-bound \(so it suggests the async pool\), but its last 41 runs measured 90 % CPU/);
  }
  // A mixed task on threads, half busy: nothing to say.
  assert.equal(measuredDisagreement(task({ kind: 'mixed', routedPool: 'threads' }), measured(0.5)), undefined);
});

describe('language server: measured beside predicted', TIMEOUT, () => {
  const session = clientWithTasksOpen();
  const tasksUri = fixtureUri('src/tasks.ts');
  const text = fixtureText('src/tasks.ts');
  const folder = pathToFileURL(fixtureRoot).href;
  const at = (name: string) => {
    const line = text.split('\n').findIndex((l) => l.includes(`app.task('${name}'`));
    return { line, character: text.split('\n')[line].indexOf(name) + 2 };
  };
  const hover = async (name: string) => {
    const result = await session().connection.sendRequest(HoverRequest.type, { textDocument: { uri: tasksUri }, position: at(name) });
    return (result?.contents as MarkupContent).value;
  };
  const send = (tasks: MeasuredSummary[]) => session().connection.sendNotification(MeasuredNotification, { folder, tasks });
  const measuredOf = (task: string) => (session().diagnostics.get(tasksUri)?.diagnostics ?? [])
    .filter((d) => d.code === MEASURED_CODE && (d.data as { task: string }).task === task);

  it('shows nothing measured before any run is recorded', TIMEOUT, async () => {
    assert.doesNotMatch(await hover('http.ping'), /Measured/);
    assert.deepEqual(measuredOf('http.ping'), []);
  });

  it('a task on the async worker measured busy gets the hover line and a warning; too few runs only the line', TIMEOUT, async () => {
    await send([
      { task: 'http.ping', runs: 41, cpuShare: 0.93, medianWallMs: 120 },
      { task: 'reports.monthly', runs: 3, cpuShare: 0.95, medianWallMs: 15 },
    ]);
    const published = await session().waitForDiagnostics(tasksUri, () => measuredOf('http.ping').length > 0);
    const [warning] = measuredOf('http.ping');
    assert.equal(warning.severity, DiagnosticSeverity.Warning);
    assert.equal(warning.source, 'tasklane');
    assert.match(String(warning.message), /Task 'http\.ping' runs on an async worker \(queue 'io'\) and the analysis predicts I\/O-bound, but its last 41 runs measured 93 % CPU/);
    assert.equal(warning.range.start.line, at('http.ping').line);
    // The analyzer's own problems are still there beside it.
    assert.ok(published.diagnostics.some((d) => d.code === 'blocking-on-async'));
    const markdown = await hover('http.ping');
    assert.match(markdown, /\*\*http\.ping\*\* — I\/O-bound[\s\S]*Cost: [^\n]*\n\nMeasured: 93 % CPU over 41 runs \(median 120ms\)/);
    assert.match(await hover('reports.monthly'), /Measured: 95 % CPU over 3 runs \(median 15ms\)/);
    assert.deepEqual(measuredOf('reports.monthly'), [], 'fewer than 10 runs');
  });

  it('a task predicted CPU-bound measured idle gets an information where it holds a thread, not on async; each goes away when they agree', TIMEOUT, async () => {
    await send([
      { task: 'http.ping', runs: 60, cpuShare: 0.04, medianWallMs: 80 },
      { task: 'math.crunch', runs: 12, cpuShare: 0.1, medianWallMs: 900 },
    ]);
    await session().waitForDiagnostics(tasksUri, () => measuredOf('http.ping').length === 0);
    assert.deepEqual(measuredOf('math.crunch'), [], "on queue 'io' (async) a low share proves nothing");
    // Routed to the threads worker's queue in the buffer: the same runs now disagree.
    const routed = text.replace("}, { queue: 'io', retries: 2 });", "}, { queue: 'cpu', retries: 2 });");
    assert.notEqual(routed, text);
    await session().change(tasksUri, routed);
    await session().waitForDiagnostics(tasksUri, () => measuredOf('math.crunch').length > 0);
    const [info] = measuredOf('math.crunch');
    assert.equal(info.severity, DiagnosticSeverity.Information);
    assert.match(String(info.message), /predicts task 'math\.crunch' is CPU-bound, but its last 12 runs measured 10 % CPU/);
    assert.match(await hover('http.ping'), /Measured: 4 % CPU over 60 runs \(median 80ms\)/);
    await send([{ task: 'math.crunch', runs: 30, cpuShare: 0.5, medianWallMs: 850 }]);
    await session().waitForDiagnostics(tasksUri, () => measuredOf('math.crunch').length === 0);
    assert.doesNotMatch(await hover('http.ping'), /Measured/, 'a task no longer listed has no runs');
    await session().change(tasksUri, text);
  });
});
