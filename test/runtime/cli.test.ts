// The tasklane CLI end to end: real processes on the embedded broker (file://, a fresh folder).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { processAlive } from '../helpers/process.ts';

const root = join(__dirname, '../..');
const bin = join(root, 'runtime/bin/tasklane.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tasklane-cli-'));
const config = join(dir, 'tasklane.config.json');
writeFileSync(config, JSON.stringify({
  app: join(root, 'test/fixtures/worker/tasks.ts'),
  routes: { 't.*': 'cli' },
  workers: { w: { pool: 'async', concurrency: 4, queues: ['cli'] } },
}));
// Every command below runs in the workspace folder with no broker in the environment.
const env = { ...process.env, TASKLANE_BROKER: '', TASKLANE_CONFIG: '' };

function tasklane(args: string[], options: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd ?? dir, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let worker: ChildProcess;
const workerLines: string[] = [];

before(async () => {
  worker = spawn(process.execPath, [bin, 'worker', 'w'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: worker.stdout! });
  lines.on('line', (line) => workerLines.push(line));
  for await (const line of lines) if (/\] online: /.test(line)) break;
});

after(async () => {
  worker.kill('SIGTERM');
  const [code] = await once(worker, 'exit');
  assert.equal(code, 0, 'the worker stops warm on SIGTERM');
});

test('call --wait prints the result as JSON on the last line and exits 0', async () => {
  const { code, stdout, stderr } = await tasklane(['call', 't.add', '[20, 22]', '--wait', '--timeout', '30s']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.match(lines[0], /^[0-9a-f-]{36}$/, 'the task id first');
  assert.equal(JSON.parse(lines.at(-1)!), 42);
  const object = await tasklane(['call', 't.flaky', '[0]', '--wait']);
  assert.deepEqual(JSON.parse(object.stdout.trim().split('\n').at(-1)!), { attempts: 1 });
});

test('a failed task exits 1 with its error and remote stack on stderr', async () => {
  const { code, stdout, stderr } = await tasklane(['call', 't.broken', '--wait', '--timeout', '30s']);
  assert.equal(code, 1);
  assert.match(stderr, /task t\.broken\[[0-9a-f-]+\] failed: TypeError: always broken/);
  assert.match(stderr, /at .*test\/fixtures\/worker\/tasks\.ts:\d+/);
  assert.equal(stdout.trim().split('\n').length, 1, 'only the id on stdout');
});

test('call --wait for a task the worker does not know ends at once: exit 1, the dead-letter reason on stderr', async () => {
  // From a folder without the config: no app to check the name against, so the message is sent.
  const elsewhere = mkdtempSync(join(tmpdir(), 'tasklane-caller-'));
  const { code, stdout, stderr } = await tasklane(['call', 'no.such', '[1]', '--wait', '--queue', 'cli', '--broker', `file://${join(dir, '.tasklane')}`], { cwd: elsewhere });
  assert.equal(code, 1, stderr);
  assert.match(stderr, /task no\.such\[[0-9a-f-]+\] failed: UnknownTask: unknown task "no\.such" \(registered here: .*t\.add.*\); it was moved to the dead-letter queue without running/);
  assert.equal(stdout.trim().split('\n').length, 1, 'only the id on stdout');
});

test('call without the app warns when no live worker consumes the queue the task went to', async () => {
  // From a folder without the config: call cannot see the route to "cli", so t.add goes to "default".
  const elsewhere = mkdtempSync(join(tmpdir(), 'tasklane-caller-'));
  const broker = `file://${join(dir, '.tasklane')}`;
  const sent = await tasklane(['call', 't.add', '[1, 2]', '--broker', broker], { cwd: elsewhere });
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stderr, /^tasklane call: warning: no live worker consumes queue "default", where t\.add now waits \(the workers that run t\.add consume cli\): pass --app <tasks file> so call routes it by the task's queue option, or --queue <name>\n$/);
  assert.equal((await tasklane(['purge', '--queues', 'default', '--broker', broker], { cwd: elsewhere })).code, 0);
  const served = await tasklane(['call', 't.add', '[1, 2]', '--queue', 'cli', '--broker', broker, '--wait'], { cwd: elsewhere });
  assert.equal(served.stderr, '', 'no warning when a worker consumes the queue');
});

test('revoke: an unknown id and a finished task each get one clear error; a waiting and a running task are revoked', async () => {
  const unknown = await tasklane(['revoke', '0b8e4c1e-0000-4000-8000-000000000000']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^tasklane revoke: unknown task id 0b8e4c1e-.*: no stored result, not waiting in default, cli and not running on a live worker/);
  const finished = (await tasklane(['call', 't.add', '[1, 2]', '--wait'])).stdout.split('\n')[0];
  assert.match((await tasklane(['revoke', finished])).stderr, /task t\.add\[.*\] has already finished \(SUCCESS at .*\): there is nothing to revoke/);
  const waiting = (await tasklane(['call', 't.add', '[1, 2]', '--countdown', '1h'])).stdout.trim();
  const revoked = await tasklane(['revoke', waiting]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, /revoked task .*, waiting: it will not run/);
  const running = (await tasklane(['call', 't.sleep', '[60000]'])).stdout.trim();
  assert.equal((await tasklane(['revoke', running, '--terminate'])).code, 0);
  // The worker stores REVOKED at once (async: the sleep's signal is aborted): revoking again says so.
  for (let again = await tasklane(['revoke', running]); !/already finished \(REVOKED/.test(again.stderr); again = await tasklane(['revoke', running])) {
    assert.equal(again.code, 0, again.stderr);
  }
});

test('unknown task, non-JSON arguments, unknown flags and a wrong config each get one clear error', async () => {
  const unknown = await tasklane(['call', 't.nope', '[]']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown task "t\.nope": .*tasks\.ts registers .*t\.add/);

  const notJson = await tasklane(['call', 't.add', '[1, two]']);
  assert.equal(notJson.code, 1);
  assert.match(notJson.stderr, /the arguments are not JSON .*: pass a JSON array, e\.g\. tasklane call t\.add '\["a\.png", 200\]'/);
  const notArray = await tasklane(['call', 't.add', '{"a":1}']);
  assert.match(notArray.stderr, /the arguments must be a JSON array/);

  const flag = await tasklane(['worker', '--pools', 'async']);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /Unknown option '--pools' for `tasklane worker`: see `tasklane worker --help`/);

  const bad = mkdtempSync(join(tmpdir(), 'tasklane-badconf-'));
  writeFileSync(join(bad, 'tasklane.config.json'), JSON.stringify({ workers: { cpu: { pool: 'fork' } } }));
  const wrong = await tasklane(['worker', 'cpu'], { cwd: bad });
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr.trim().split('\n').length, 1, wrong.stderr);
  assert.match(wrong.stderr, /tasklane\.config\.json: workers\.cpu\.pool must be one of prefork, threads, solo, async/);

  const noWorker = await tasklane(['worker', 'gpu']);
  assert.match(noWorker.stderr, /no worker "gpu" in .*tasklane\.config\.json: known workers are w/);
});

test('an unreachable broker is named without its password', async () => {
  const { code, stderr } = await tasklane(['call', 't.add', '[1, 2]', '--broker', 'redis://user:hunter2@127.0.0.1:1/0?connectTimeout=2s']);
  assert.equal(code, 1);
  assert.match(stderr, /redis:\/\/user:\*\*\*@127\.0\.0\.1:1\/0/);
  assert.doesNotMatch(stderr, /hunter2/);
});

test('inspect reports the live worker; purge drops waiting messages', async () => {
  const stats = await tasklane(['inspect', 'stats']);
  assert.equal(stats.code, 0, stats.stderr);
  assert.match(stats.stdout, /^w: pool async x 4, queues cli, processed \d+, failed \d+, pid \d+/m);
  const registered = await tasklane(['inspect', 'registered', '--json']);
  const [report] = JSON.parse(registered.stdout) as Array<{ name: string; registered: string[] }>;
  assert.equal(report.name, 'w');
  assert.ok(report.registered.includes('t.add'));
  const active = await tasklane(['inspect', 'active']);
  assert.match(active.stdout, /^w: \d+ active/m);
  assert.match((await tasklane(['inspect', 'nothing'])).stderr, /needs one of active, stats, registered, measured, got "nothing"/);

  await tasklane(['call', 't.add', '[1, 1]', '--queue', 'parked']);
  await tasklane(['call', 't.add', '[1, 1]', '--queue', 'parked', '--countdown', '1h']);
  const purge = await tasklane(['purge', '--queues', 'parked']);
  assert.equal(purge.stdout.trim(), 'purged 2 message(s) from parked');
});

async function linesUntil(child: ChildProcess, count: number, pattern: RegExp): Promise<string[]> {
  const lines: string[] = [];
  let seen = 0;
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    if (pattern.test(line) && ++seen === count) break;
  }
  return lines;
}

test('--pool gevent runs the async pool with a notice; solo with concurrency > 1 warns', async () => {
  for (const [flags, notice] of [
    [['--pool', 'gevent'], /INFO  \[worker \d+@[^\]]+\] pool "gevent" is Celery's name for green threads: using the "async" pool/],
    [['--pool', 'solo', '--concurrency', '4'], /WARN  \[worker \d+@[^\]]+\] the solo pool runs one task at a time: concurrency 4 ignored/],
  ] as const) {
    const child = spawn(process.execPath, [bin, 'worker', ...flags, '--queues', 'aliases'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = await linesUntil(child, 1, /\] online: /);
    child.kill('SIGTERM');
    assert.equal((await once(child, 'exit'))[0], 0);
    assert.ok(lines.some((l) => notice.test(l)), lines.join('\n'));
  }
});

test("the worker takes Celery's short flags: -A -P -c -Q -X -n -E", async () => {
  const child = spawn(process.execPath, [bin, 'worker', '-A', join(root, 'test/fixtures/worker/tasks.ts'), '-P', 'threads', '-c', '2',
    '-Q', 'celery-a,celery-b', '-X', 'celery-b', '-n', 'celery', '-E', '-l', 'info'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines = await linesUntil(child, 1, /\] online: /);
    assert.match(lines.at(-1)!, /\[worker celery\] online: pool threads x 2, queues celery-a, broker file:/);
  } finally {
    child.kill('SIGTERM');
    assert.equal((await once(child, 'exit'))[0], 0);
  }
});

test('a flag value that cannot be what was meant gets one error saying what to type; -c is no longer the config', async () => {
  for (const [args, error] of [
    [['worker', '-A', 'tasks.js', '-P', 'threads', '-c', 'tasklane.config.json'], /-c is the concurrency \(as in Celery\), got "tasklane\.config\.json": use --config tasklane\.config\.json for a config file/],
    [['worker', '-c', '0'], /-c\/--concurrency must be a whole number >= 1, got "0"/],
    [['worker', 'w', '-X', 'cli'], /excluding cli leaves no queue to consume \(of cli\)/],
    [['call', 't.add', '[1, 2]', '-c', 'tasklane.config.json'], /-c names no config file any more .*: use --config <file> for `tasklane call`/],
  ] as const) {
    const { code, stderr } = await tasklane([...args]);
    assert.equal(code, 1, stderr);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, error);
  }
  // The long form still names the config.
  const stats = await tasklane(['inspect', 'stats', '--config', config]);
  assert.equal(stats.code, 0, stats.stderr);
});

test('from a checkout, with nothing preloaded, a prefork and a threads worker load the TypeScript app and run tasks', async () => {
  // This process runs under tsx; the CLI below must not need it (issue 8: prefork children were
  // forked without a TypeScript loader when the CLI registered tsx only in itself).
  assert.ok(!process.env.NODE_OPTIONS?.includes('tsx'));
  for (const pool of ['prefork', 'threads']) {
    const queue = `checkout-${pool}`;
    const child = spawn(process.execPath, [bin, 'worker', '--pool', pool, '--concurrency', '1', '--queues', queue], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await linesUntil(child, 1, /\] online: /);
      const { code, stdout, stderr } = await tasklane(['call', 't.add', '[1, 2]', '--queue', queue, '--wait', '--timeout', '60s']);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout.trim().split('\n').at(-1)!), 3);
    } finally {
      child.kill('SIGTERM');
      assert.equal((await once(child, 'exit'))[0], 0, `the ${pool} worker stops warm`);
    }
  }
});

test('up starts every worker of the config with prefixed output; Ctrl+C stops them all warm', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tasklane-up-'));
  writeFileSync(join(ws, 'tasklane.config.json'), JSON.stringify({
    app: join(root, 'test/fixtures/worker/tasks.ts'),
    workers: { cpu: { pool: 'threads', concurrency: 1, queues: ['up-cpu'] }, io: { pool: 'async', queues: ['up-io'] } },
  }));
  // Its own process group, as in a terminal: Ctrl+C signals the whole group.
  const up = spawn(process.execPath, [bin, 'up'], { cwd: ws, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const lines = await linesUntil(up, 2, /\] online: /);
  assert.ok(lines.some((l) => /^cpu \| \[.*\] INFO  \[worker cpu\] online: pool threads x 1, queues up-cpu/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^io  \| \[.*\] INFO  \[worker io\] online: pool async x 100, queues up-io/.test(l)), lines.join('\n'));
  const sent = await tasklane(['call', 't.add', '[1, 2]', '--queue', 'up-cpu', '--wait', '--timeout', '60s'], { cwd: ws });
  assert.equal(sent.stdout.trim().split('\n').at(-1), '3');
  const rest: string[] = [];
  createInterface({ input: up.stdout! }).on('line', (line) => rest.push(line));
  process.kill(-up.pid!, 'SIGINT');
  assert.equal((await once(up, 'exit'))[0], 0);
  assert.equal(rest.filter((l) => /SIGINT: warm shutdown/.test(l)).length, 2, `one signal per worker, not two (cold):\n${rest.join('\n')}`);
  assert.equal(rest.filter((l) => /exited with code 0/.test(l)).length, 2);
});

test('up whose output nobody reads any more stops its workers warm instead of orphaning them', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tasklane-up-'));
  writeFileSync(join(ws, 'tasklane.config.json'), JSON.stringify({
    app: join(root, 'test/fixtures/worker/tasks.ts'),
    workers: { io: { pool: 'async', queues: ['up-epipe'] } },
  }));
  const up = spawn(process.execPath, [bin, 'up'], { cwd: ws, env, stdio: ['ignore', 'pipe', 'ignore'] });
  await linesUntil(up, 1, /\] online: /);
  const stats = JSON.parse((await tasklane(['inspect', 'stats', '--json'], { cwd: ws })).stdout) as Array<{ pid: number }>;
  assert.equal(stats.length, 1);
  const exited = once(up, 'exit');
  up.stdout!.destroy();
  // The worker logs the task: up's next write finds the pipe closed.
  await tasklane(['call', 't.add', '[1, 2]', '--queue', 'up-epipe', '--wait', '--timeout', '60s'], { cwd: ws });
  const [code] = await exited;
  // up exits once its workers have: none is left running.
  const orphan = processAlive(stats[0].pid);
  if (orphan) process.kill(stats[0].pid, 'SIGKILL');
  assert.equal(orphan, false, `up exited (code ${code}) and left its worker running`);
  assert.equal(code, 0);
});

test('--help lists the commands; the worker logged each task', async () => {
  const help = await tasklane(['--help']);
  assert.equal(help.code, 0);
  for (const command of ['worker', 'up', 'beat', 'call', 'inspect', 'purge', 'analyze']) assert.match(help.stdout, new RegExp(`^  ${command}`, 'm'));
  assert.ok(workerLines.some((l) => /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO  \[worker w\] task t\.add\[[0-9a-f]{6}\] succeeded in \d+ms \(cpu \d+%\)$/.test(l)), workerLines.join('\n'));
  assert.ok(workerLines.some((l) => /ERROR \[worker w\] task t\.broken\[[0-9a-f]{6}\] failed in \d+ms: TypeError: always broken/.test(l)));
});
