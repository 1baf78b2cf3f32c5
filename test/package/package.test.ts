// The packages as a user gets them: `npm pack` of tasklane and @tasklane/analyzer, installed from
// the tarballs into a new project outside the repository (nothing links back into it), then used
// from plain Node with nothing preloaded: an ES module producer, a CommonJS producer
// (require('tasklane')), a TypeScript producer compiled to CommonJS as NestJS compiles it, a
// TypeScript task module run by the installed CLI in every pool on the embedded broker and on
// Redis, `call --wait`, and `analyze` with and without the analyzer. On Node 20, 22 and 24.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { startRedis, type RedisServer } from '../helpers/redis.ts';

const repo = join(__dirname, '../..');
const hostCache = process.env.TASKLANE_VSCODE_CACHE ?? join(homedir(), '.cache', 'tasklane-vscode');
const NODES: Array<[string, string]> = [
  ['20', process.execPath],
  ['22', join(hostCache, 'node22', 'bin', 'node')],
  ['24', join(hostCache, 'node24', 'bin', 'node')],
];
const POOLS = ['prefork', 'threads', 'solo', 'async'] as const;
const WAIT = '60s';

const work = mkdtempSync(join(tmpdir(), 'tasklane-package-'));
const project = join(work, 'project');
// What a user's shell has: no NODE_OPTIONS, no tsx preloaded, no broker or config from the tests.
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, LANG: 'C.UTF-8' };

interface Run { code: number; stdout: string; stderr: string }

function run(file: string, args: string[], extra: Record<string, string> = {}, cwd = project): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...env, ...extra }, timeout: 180_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function npm(args: string[], cwd = project): Promise<Run> {
  return run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {}, cwd);
}

const cli = join(project, 'node_modules', 'tasklane', 'bin', 'tasklane.mjs');
const tasklane = (node: string, args: string[], broker: string) => run(node, [cli, ...args], { TASKLANE_BROKER: broker });

const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';

/** A worker of the installed CLI; resolves once it says it is online. */
async function startWorker(node: string, pool: string, queue: string, broker: string): Promise<{ pid: number; stop(): Promise<number | null>; output: string[] }> {
  const child: ChildProcess = spawn(node, [cli, 'worker', '--app', 'src/tasks.ts', '--pool', pool, '--concurrency', '2', '--queues', queue], {
    cwd: project, env: { ...env, TASKLANE_BROKER: broker }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (d) => output.push(String(d)));
  const lines = createInterface({ input: child.stdout! });
  const online = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      if (/\] online: /.test(line)) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`the ${pool} worker exited (${signal ?? code}) before it was online:\n${output.join('\n')}`)));
  });
  await online;
  return {
    pid: child.pid!,
    output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const TASKS_TS = `import { threadId } from 'node:worker_threads';
import { createApp, context } from 'tasklane';

export const app = createApp({ name: 'shop' });

export const add = app.task('math.add', (a: number, b: number): number => a + b);

/** Where the task ran: the pool's process and thread, and its own context. */
export const where = app.task('math.where', () => ({ pid: process.pid, threadId, task: context().task }));
`;

const PRODUCER_MJS = `import { createApp } from 'tasklane';
const app = createApp({ name: 'web' });
const add = app.task('math.add', (a, b) => a + b, { queue: process.env.QUEUE });
const result = await add.delay(2, 3);
console.log(JSON.stringify(await result.get({ timeout: '${WAIT}' })));
await app.close();
`;

const PRODUCER_CJS = `const { createApp } = require('tasklane');
const app = createApp({ name: 'web' });
const add = app.task('math.add', (a, b) => a + b, { queue: process.env.QUEUE });
(async () => {
  const result = await add.delay(20, 22);
  console.log(JSON.stringify(await result.get({ timeout: '${WAIT}' })));
  await app.close();
})();
`;

// A NestJS-style service, compiled by tsc to CommonJS (module commonjs, moduleResolution node).
const SERVICE_TS = `import { createApp, type AsyncResult, type Task } from 'tasklane';

export class MathService {
  private readonly app = createApp({ name: 'nest' });
  private readonly add: Task<(a: number, b: number) => number> = this.app.task('math.add', (a: number, b: number) => a + b, { queue: process.env.QUEUE });

  async sum(a: number, b: number): Promise<number> {
    const result: AsyncResult<number> = await this.add.delay(a, b);
    return result.get({ timeout: '${WAIT}' });
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

const service = new MathService();
service.sum(40, 2).then(async (sum) => {
  console.log(JSON.stringify(sum));
  await service.close();
});
`;

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

let redis: RedisServer;
let tarballs: { runtime: string; analyzer: string };

before(async () => {
  const built = await run(process.execPath, [join(repo, 'scripts/build-packages.mjs')], {}, repo);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const packed = await npm(['pack', '--pack-destination', work, '-w', 'runtime', '-w', 'analyzer', '--json'], repo);
  assert.equal(packed.code, 0, packed.stderr);
  const files = (JSON.parse(packed.stdout) as Array<{ filename: string }>).map((p) => join(work, p.filename));
  tarballs = {
    runtime: files.find((f) => /[/]tasklane-\d/.test(f))!,
    analyzer: files.find((f) => /tasklane-analyzer-\d/.test(f))!,
  };
  write(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }, null, 2));
  write(join(project, 'src', 'tasks.ts'), TASKS_TS);
  write(join(project, 'producer.mjs'), PRODUCER_MJS);
  write(join(project, 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }));
  write(join(project, 'cjs', 'producer.js'), PRODUCER_CJS);
  write(join(project, 'nest', 'package.json'), JSON.stringify({ type: 'commonjs' }));
  write(join(project, 'nest', 'src', 'math.service.ts'), SERVICE_TS);
  write(join(project, 'nest', 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'ES2021', strict: true, outDir: 'dist', rootDir: 'src', types: ['node'], skipLibCheck: false },
  }));
  // @types/node as a NestJS project has it, for the compiled producer.
  const installed = await npm(['install', tarballs.runtime, '@types/node@20']);
  assert.equal(installed.code, 0, installed.stderr);
  redis = await startRedis();
});

after(async () => {
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('the tarball holds compiled JavaScript, types and both module formats, and no tests', async () => {
  const listed = await run('tar', ['tzf', tarballs.runtime]);
  const files = listed.stdout.split('\n');
  for (const file of ['package/dist/src/index.js', 'package/dist/src/index.d.ts', 'package/dist/src/index.d.cts', 'package/dist/index.cjs', 'package/bin/tasklane.mjs', 'package/schema/tasklane.config.schema.json']) {
    assert.ok(files.includes(file), `${file} is in the tarball`);
  }
  assert.deepEqual(files.filter((f) => /\.test\.|(^|\/)test\/|tsbuildinfo|tsconfig/.test(f)), []);
  const installed = readdirSync(join(project, 'node_modules'));
  assert.ok(!installed.includes('ts-morph'), 'workers and producers never bring ts-morph');
});

test('the compiled TypeScript producer type-checks against the published types', async () => {
  const compiled = await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'nest'], {}, project);
  assert.equal(compiled.code, 0, compiled.stdout + compiled.stderr);
  assert.ok(existsSync(join(project, 'nest', 'dist', 'math.service.js')));
});

for (const [version, node] of NODES) {
  describe(`on Node ${version}`, () => {
    before(() => {
      assert.ok(existsSync(node), `Node ${version} is not installed at ${node}: run bash scripts/setup-test-host.sh`);
    });

    for (const brokerKind of ['embedded', 'redis'] as const) {
      for (const pool of POOLS) {
        test(`${brokerKind} broker, ${pool} pool: the installed CLI runs the TypeScript task module; call --wait returns`, async () => {
          const queue = `q-${version}-${pool}`;
          const broker = brokerKind === 'embedded' ? pathToFileURL(join(work, `broker-${version}-${pool}`)).href : redis.url;
          const worker = await startWorker(node, pool, queue, broker);
          try {
            const sum = await tasklane(node, ['call', 'math.add', '[2, 40]', '--queue', queue, '--wait', '--timeout', WAIT], broker);
            assert.equal(sum.code, 0, sum.stderr);
            assert.equal(JSON.parse(lastLine(sum.stdout)), 42);

            const where = await tasklane(node, ['call', 'math.where', '--queue', queue, '--wait', '--timeout', WAIT], broker);
            assert.equal(where.code, 0, where.stderr);
            const ran = JSON.parse(lastLine(where.stdout)) as { pid: number; threadId: number; task: string };
            assert.equal(ran.task, 'math.where', 'context() works inside the task');
            if (pool === 'threads') assert.ok(ran.threadId > 0, 'a threads task runs in a worker thread');
            else assert.equal(ran.threadId, 0);
            if (pool === 'prefork') assert.notEqual(ran.pid, worker.pid, 'a prefork task runs in a child process');
            else assert.equal(ran.pid, worker.pid);

            if (pool === 'async') {
              // Producers of every module format against the same worker.
              const esm = await run(node, ['producer.mjs'], { TASKLANE_BROKER: broker, QUEUE: queue });
              assert.equal(esm.code, 0, esm.stderr);
              assert.equal(lastLine(esm.stdout), '5');
              const cjs = await run(node, ['cjs/producer.js'], { TASKLANE_BROKER: broker, QUEUE: queue });
              assert.equal(cjs.code, 0, cjs.stderr);
              assert.equal(lastLine(cjs.stdout), '42');
              const nest = await run(node, ['nest/dist/math.service.js'], { TASKLANE_BROKER: broker, QUEUE: queue });
              assert.equal(nest.code, 0, nest.stderr);
              assert.equal(lastLine(nest.stdout), '42');
            }
          } finally {
            assert.equal(await worker.stop(), 0, `the worker stops warm:\n${worker.output.join('\n')}`);
          }
        });
      }
    }
  });
}

test('analyze says how to install the analyzer, and works once it is installed', async () => {
  const without = await tasklane(process.execPath, ['analyze', 'src', '--json'], 'memory://');
  assert.equal(without.code, 1);
  assert.match(without.stderr, /@tasklane\/analyzer, which is not installed here: install it with\n\s+npm install --save-dev @tasklane\/analyzer/);

  const installed = await npm(['install', '--save-dev', tarballs.analyzer]);
  assert.equal(installed.code, 0, installed.stderr);
  const analysed = await tasklane(process.execPath, ['analyze', 'src', '--json'], 'memory://');
  assert.equal(analysed.code, 0, analysed.stderr);
  const names = (JSON.parse(analysed.stdout) as { tasks: Array<{ name: string; file: string }> }).tasks.map((t) => `${t.name} ${t.file}`);
  assert.deepEqual(names.sort(), ['math.add tasks.ts', 'math.where tasks.ts']);
});
