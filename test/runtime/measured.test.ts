// Measured beside predicted, runtime side: workers record each run's CPU and wall time on the
// broker (every broker kind), in batches; the window survives a worker restart; `inspect measured`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startWorker } from 'tasklane';
import { sendTask, summarizeRuns, MEASURED_RUNS_KEPT } from 'tasklane/contract';
import { keepRecent, RunRecorder } from '../../runtime/src/measured.ts';
import { freshBrokers, withBroker } from '../helpers/brokers.ts';
import '../fixtures/worker/tasks.ts';

const { urls } = freshBrokers('measured');
const quiet = () => {};

test('summarizeRuns: CPU share is total CPU over total wall; the median is of wall times', () => {
  const summary = summarizeRuns({ task: 'a', runs: [{ cpuMs: 90, wallMs: 100 }, { cpuMs: 10, wallMs: 300 }, { cpuMs: 50, wallMs: 50 }] });
  assert.deepEqual(summary, { task: 'a', runs: 3, cpuShare: 150 / 450, medianWallMs: 100 });
  assert.equal(summarizeRuns({ task: 'a', runs: [{ cpuMs: 1, wallMs: 2 }, { cpuMs: 1, wallMs: 4 }] })!.medianWallMs, 3);
  // Attributed CPU can exceed wall by rounding: the share stays a share.
  assert.equal(summarizeRuns({ task: 'a', runs: [{ cpuMs: 11, wallMs: 10 }] })!.cpuShare, 1);
  assert.equal(summarizeRuns({ task: 'a', runs: [] }), undefined);
});

test('keepRecent puts the newest first and keeps a window; RunRecorder hands over what ran since, once', () => {
  const stored = Array.from({ length: MEASURED_RUNS_KEPT }, (_, i) => ({ cpuMs: i, wallMs: 1000 }));
  const kept = keepRecent(stored, [{ cpuMs: -1, wallMs: 1 }, { cpuMs: -2, wallMs: 1 }]);
  assert.equal(kept.length, MEASURED_RUNS_KEPT);
  assert.deepEqual(kept.slice(0, 3).map((r) => r.cpuMs), [-2, -1, 0]);
  const recorder = new RunRecorder();
  recorder.add('a', 1.234, 2.345);
  recorder.add('b', 3, 4);
  recorder.add('a', 5, 6);
  assert.deepEqual(recorder.take(), [
    { task: 'a', runs: [{ cpuMs: 1.2, wallMs: 2.3 }, { cpuMs: 5, wallMs: 6 }] },
    { task: 'b', runs: [{ cpuMs: 3, wallMs: 4 }] },
  ]);
  assert.deepEqual(recorder.take(), []);
});

for (const kind of ['memory', 'file', 'redis'] as const) {
  test(`${kind}: recordRuns keeps each task's newest runs from every writer, newest first`, async () => {
    const url = urls[kind]();
    await withBroker(url, async (a) => withBroker(url, async (b) => {
      assert.deepEqual(await a.measuredRuns(), []);
      await a.recordRuns([{ task: 'x', runs: [{ cpuMs: 1, wallMs: 10 }, { cpuMs: 2, wallMs: 10 }] }]);
      await b.recordRuns([{ task: 'x', runs: [{ cpuMs: 3, wallMs: 10 }] }, { task: 'y.z', runs: [{ cpuMs: 0.5, wallMs: 100.5 }] }]);
      const runs = (await a.measuredRuns()).sort((p, q) => p.task.localeCompare(q.task));
      assert.deepEqual(runs, [
        { task: 'x', runs: [{ cpuMs: 3, wallMs: 10 }, { cpuMs: 2, wallMs: 10 }, { cpuMs: 1, wallMs: 10 }] },
        { task: 'y.z', runs: [{ cpuMs: 0.5, wallMs: 100.5 }] },
      ]);
      // Concurrent writers lose nothing and the window holds.
      const batch = { task: 'x', runs: Array.from({ length: 30 }, () => ({ cpuMs: 7, wallMs: 7 })) };
      await Promise.all([a.recordRuns([batch]), b.recordRuns([batch]), a.recordRuns([batch]), b.recordRuns([batch])]);
      const x = (await b.measuredRuns()).find((t) => t.task === 'x')!;
      assert.equal(x.runs.length, MEASURED_RUNS_KEPT);
      assert.ok(x.runs.every((r) => r.cpuMs === 7));
    }));
  });
}

const root = join(__dirname, '../..');
const bin = join(root, 'runtime/bin/tasklane.mjs');

test('file: processes recording at once lose no run (each batch is one transaction of the store)', async () => {
  const url = urls.file();
  // Each process records 25 runs, one call each, distinguishable by its own cpuMs.
  const script = "import { createBroker } from 'tasklane/broker'; const b = createBroker(process.argv[1]); await b.connect(); "
    + "for (let i = 0; i < 25; i++) await b.recordRuns([{ task: 'x', runs: [{ cpuMs: Number(process.argv[2]), wallMs: 1 }] }]); await b.close();";
  await Promise.all([1, 2, 3].map((n) => new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--conditions=tasklane-source', '--input-type=module', '-e', script, url, String(n)], { cwd: root, timeout: 60_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()));
  })));
  const [x] = await withBroker(url, (broker) => broker.measuredRuns());
  assert.equal(x.runs.length, 75);
  for (const n of [1, 2, 3]) assert.equal(x.runs.filter((r) => r.cpuMs === n).length, 25, `process ${n}'s runs`);
});

test('file: the measured runs of an earlier version (measured.json beside the store, and its lock) are carried into the store once', async () => {
  const url = urls.file();
  const dir = fileURLToPath(url);
  mkdirSync(dir, { recursive: true });
  // Newest first, as that version stored them; a lock left by a process that died.
  writeFileSync(join(dir, 'measured.json'), JSON.stringify({ x: [{ cpuMs: 2, wallMs: 20 }, { cpuMs: 1, wallMs: 10 }] }));
  writeFileSync(join(dir, 'measured.lock'), '999999999-1');
  await withBroker(url, async (a) => withBroker(url, async (b) => {
    await b.recordRuns([{ task: 'x', runs: [{ cpuMs: 3, wallMs: 30 }] }]);
    const [x] = await a.measuredRuns();
    assert.deepEqual(x.runs.map((r) => r.cpuMs).sort(), [1, 2, 3], 'the old runs once, though two brokers opened the folder');
  }));
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('measured')), [], 'measured.json and its lock are gone');
});

function inspectMeasured(url: string, json: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, 'inspect', 'measured', '--broker', url, ...(json ? ['--json'] : [])], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('an async worker records what its runs cost; the runs outlive it and the next worker adds to them; inspect measured prints them', async () => {
  const url = urls.file();
  const queue = 'measured';
  const runBatch = async (spins: number, sleeps: number) => {
    const worker = await startWorker({ pool: 'async', broker: url, queues: [queue], concurrency: 4, name: 'measuring', log: quiet });
    try {
      await withBroker(url, async (producer) => {
        const sent = [
          ...await Promise.all(Array.from({ length: spins }, () => sendTask(producer, 't.spin', [30], { apply: { queue } }))),
          ...await Promise.all(Array.from({ length: sleeps }, () => sendTask(producer, 't.sleep', [30], { apply: { queue } }))),
        ];
        for (const { result } of sent) await result.get({ timeout: '30s' });
      });
    } finally {
      // Runs are handed over with the heartbeat and, at the latest, when the worker stops.
      await worker.stop();
    }
  };
  // Sent together: the async pool starts them in one turn of the loop, each waiting behind the others.
  await runBatch(6, 2);
  await runBatch(2, 2);
  const summaries = JSON.parse(await inspectMeasured(url, true)) as Array<ReturnType<typeof summarizeRuns>>;
  const spin = summaries.find((s) => s!.task === 't.spin')!;
  const sleep = summaries.find((s) => s!.task === 't.sleep')!;
  assert.equal(spin.runs, 8, 'the runs of both workers');
  assert.equal(sleep.runs, 4);
  // A busy loop computes all its own time, whatever ran beside it; a timer wait nearly none.
  assert.ok(spin.cpuShare > 0.9, `t.spin measured ${spin.cpuShare}`);
  assert.ok(sleep.cpuShare < 0.2, `t.sleep measured ${sleep.cpuShare}`);
  assert.ok(spin.medianWallMs >= 30);
  const text = await inspectMeasured(url, false);
  assert.match(text, /^t\.sleep: \d+% CPU over 4 runs, median \d+ms$/m);
  assert.match(text, /^t\.spin: \d+% CPU over 8 runs, median \d+ms$/m);
});
