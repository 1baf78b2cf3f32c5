// Periodic tasks end to end: real `tasklane beat` and `tasklane worker -B` processes on the embedded
// broker and on a real redis-server, every 1s. Each tick's task runs exactly once with two
// schedulers; a scheduler killed with SIGKILL and restarted sends no tick twice; after a time with
// no scheduler, the restarted one sends the latest missed tick and logs the skipped ones. The
// assertions are about which ticks ran, never about how fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshBrokers } from '../helpers/brokers.ts';

const root = join(__dirname, '../..');
const bin = join(root, 'runtime/bin/tasklane.mjs');
const app = join(root, 'test/fixtures/beat/tasks.ts');
const env = { ...process.env, TASKLANE_BROKER: '', TASKLANE_CONFIG: '' };
const { scratch, urls } = freshBrokers('beat');

interface Running {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves once a line matches (lines seen before included). */
  waitFor(pattern: RegExp): Promise<void>;
}

function run(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { for (const w of waiters) w(); resolve(code); }));
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const w of waiters) w();
    });
  }
  return {
    child, lines, exited,
    waitFor: (pattern) => new Promise((resolve, reject) => {
      const check = () => {
        if (lines.some((l) => pattern.test(l))) { waiters.delete(check); resolve(); }
        else if (child.exitCode !== null || child.signalCode !== null) { waiters.delete(check); reject(new Error(`exited before ${pattern}:\n${lines.join('\n')}`)); }
      };
      waiters.add(check);
      check();
    }),
  };
}

function workspace(broker: string, schedules: Record<string, unknown>, workers: Record<string, unknown> = {}): { dir: string; records: string } {
  const dir = mkdtempSync(join(scratch, 'ws-'));
  const records = join(dir, 'records.txt');
  writeFileSync(join(dir, 'tasklane.config.json'), JSON.stringify({ app, broker, workers, schedules: Object.fromEntries(Object.entries(schedules).map(([name, s]) => [name, { ...(s as object), args: [records] }])) }));
  return { dir, records };
}

function recorded(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function recordsAtLeast(file: string, n: number, processes: Running[]): Promise<void> {
  while (recorded(file).length < n) {
    for (const p of processes) if (p.child.exitCode !== null) throw new Error(`a process exited:\n${p.lines.join('\n')}`);
    await sleep(100);
  }
}

const tickOf = (id: string) => Date.parse(id.slice(id.indexOf('@') + 1));

/**
 * Every tick from the first to the last recorded one either ran exactly once or lies in a range a
 * scheduler logged as skipped; none ran twice. Returns the number of logged skips.
 */
function checkTicks(records: string[], logs: string[], schedule: string): number {
  const ids = records.filter((id) => id.startsWith(`${schedule}@`));
  assert.equal(new Set(ids).size, ids.length, `no tick ran twice:\n${ids.join('\n')}`);
  const ran = new Set(ids.map(tickOf));
  const skipped: Array<[number, number]> = [];
  for (const line of logs) {
    const m = new RegExp(`schedule ${schedule}: skipped \\d+ tick\\(s\\) missed between (\\S+) and (\\S+) `).exec(line);
    if (m) skipped.push([Date.parse(m[1]), Date.parse(m[2])]);
  }
  const ticks = [...ran].sort((a, b) => a - b);
  for (let t = ticks[0]; t <= ticks.at(-1)!; t += 1000) {
    assert.ok(ran.has(t) || skipped.some(([from, to]) => t > from && t < to), `tick ${new Date(t).toISOString()} neither ran nor was logged as skipped:\n${ids.join('\n')}\n${logs.join('\n')}`);
  }
  return skipped.length;
}

async function stop(p: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

for (const kind of ['file', 'redis'] as const) {
  test(`${kind}: two schedulers (beat, worker -B) send each 1s tick once; SIGKILL and restart sends none twice; after a stop, the latest missed tick is sent and the skipped ones logged`, async () => {
    const { dir, records } = workspace(urls[kind](), { second: { task: 'beat.record', every: '1s' } });
    const worker = run(['worker', '-B', '-P', 'async', '-Q', 'beat', '-n', 'w'], dir);
    let beat = run(['beat'], dir);
    const all = [worker, beat];
    const logs = () => all.flatMap((p) => p.lines);
    try {
      await Promise.all([worker.waitFor(/\[beat w\] beat: 2 schedule\(s\)/), beat.waitFor(/\[beat\] beat: 2 schedule\(s\) on /)]);
      await recordsAtLeast(records, 4, all);
      beat.child.kill('SIGKILL');
      await beat.exited;
      beat = run(['beat'], dir);
      all.push(beat);
      const before = recorded(records).length;
      await recordsAtLeast(records, before + 3, all);
      checkTicks(recorded(records), logs(), 'second');

      // No scheduler for a while: the worker stops warm (its tasks done), the beat is killed.
      await stop(worker);
      beat.child.kill('SIGKILL');
      await beat.exited;
      const lastBefore = Math.max(...recorded(records).map(tickOf));
      await sleep(3500);
      const restarted = run(['beat'], dir);
      const consumer = run(['worker', '-P', 'async', '-Q', 'beat', '-n', 'w2'], dir);
      all.push(restarted, consumer);
      await restarted.waitFor(/schedule second: skipped \d+ tick\(s\) missed between/);
      const skipLine = restarted.lines.find((l) => /schedule second: skipped/.test(l))!;
      const [, count, from, to] = /skipped (\d+) tick\(s\) missed between (\S+) and (\S+) /.exec(skipLine)!;
      assert.ok(Number(count) >= 2, skipLine);
      assert.ok(Date.parse(from) >= lastBefore, `the skipped range starts at the last tick sent: ${skipLine}`);
      await recordsAtLeast(records, recorded(records).length + 2, [restarted, consumer]);
      assert.ok(recorded(records).map(tickOf).includes(Date.parse(to)), 'the latest missed tick ran once');
      assert.ok(checkTicks(recorded(records), logs(), 'second') >= 1);
      assert.ok(!recorded(records).some((id) => id.startsWith('daily-report@')), 'the daily code schedule sent nothing');
      await Promise.all([stop(restarted), stop(consumer)]);
      assert.equal(await restarted.exited, 0);
    } finally {
      await Promise.all(all.map((p) => stop(p, 'SIGKILL')));
    }
  });
}

test('beat --list prints each schedule with its next fire time; up runs a scheduler when there are schedules', async () => {
  const { dir, records } = workspace(urls.file(), { second: { task: 'beat.record', every: '1s', queue: 'beat' } },
    { io: { pool: 'async', queues: ['beat'] } });
  const list = run(['beat', '--list'], dir);
  assert.equal(await list.exited, 0, list.lines.join('\n'));
  assert.match(list.lines.join('\n'), /^daily-report: beat\.record cron 0 9 \* \* 1-5 \(Europe\/Paris\), next \d{4}-\d\d-\d\dT0[78]:00:00\.000Z, last never$/m);
  assert.match(list.lines.join('\n'), /^second: beat\.record every 1s on beat, next \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z, last never$/m);
  const json = run(['beat', '--list', '--json'], dir);
  assert.equal(await json.exited, 0);
  const { schedules } = JSON.parse(json.lines.join('\n')) as { schedules: Array<{ name: string; next: string }> };
  assert.deepEqual(schedules.map((s) => s.name), ['daily-report', 'second']);

  const up = run(['up'], dir);
  try {
    await up.waitFor(/^beat \| .*\[beat\] beat: 2 schedule\(s\)/);
    await recordsAtLeast(records, 2, [up]);
  } finally {
    await stop(up, 'SIGINT');
  }
  assert.equal(await up.exited, 0, up.lines.join('\n'));
  assert.ok(up.lines.some((l) => /^beat \| exited with code 0/.test(l)), up.lines.join('\n'));
});

test('a schedule naming no task of the app, or a bad cron, stops beat with one line saying what to fix', async () => {
  for (const [schedule, error] of [
    [{ task: 'beat.recrod', every: '1s' }, /^tasklane beat: schedule "s": task names no task of the app: "beat\.recrod" \(.*tasklane\.config\.json; known tasks: beat\.record\)$/],
    [{ task: 'beat.record', cron: '0 25 * * *' }, /^tasklane beat: .*tasklane\.config\.json: schedules\.s\.cron is no cron expression: "0 25 \* \* \*" \(Invalid value for hour: 25\)/],
    [{ task: 'beat.record', cron: '0 9 * * *', timezone: 'Europe/Pariss' }, /^tasklane beat: .*schedules\.s\.timezone is no IANA time zone: "Europe\/Pariss"/],
  ] as const) {
    const { dir } = workspace(urls.file(), { s: schedule });
    const beat = run(['beat'], dir);
    assert.equal(await beat.exited, 1);
    assert.equal(beat.lines.length, 1, beat.lines.join('\n'));
    assert.match(beat.lines[0], error);
  }
});

test('a bad schedule in the code (app.schedule) stops beat and worker -B with one line, no stack', async () => {
  for (const [schedule, error] of [
    [`cron: '61 * * * *'`, /^tasklane (beat|worker): schedule "s": cron is no cron expression: "61 \* \* \* \*" \(Invalid value for minute: 61\)/],
    [`cron: '0 9 * * *', timezone: 'Mars/Base'`, /^tasklane (beat|worker): schedule "s": timezone is no IANA time zone: "Mars\/Base"/],
  ] as const) {
    const dir = mkdtempSync(join(scratch, 'code-'));
    writeFileSync(join(dir, 'tasks.ts'), `import { createApp } from 'tasklane';
export const app = createApp({ name: 'code', broker: ${JSON.stringify(urls.file())} });
export const t = app.task('code.t', () => 1);
app.schedule('s', { task: t, ${schedule} });
`);
    for (const args of [['beat', '--app', 'tasks.ts'], ['worker', '-B', '--app', 'tasks.ts', '--pool', 'solo']]) {
      const started = run(args, dir);
      assert.equal(await started.exited, 1);
      assert.equal(started.lines.length, 1, started.lines.join('\n'));
      assert.match(started.lines[0], error);
    }
  }
});
