// What a task sees and reports in every pool: TypeScript loaded from source with source-mapped
// stacks, context(), retry requests, JSON results, measured CPU time, and 'tasklane' resolved for
// an app in a folder with no node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, defaultConcurrency, parsePoolKind, type Invocation, type Pool } from '../../runtime/src/pool/index.ts';
import type { PoolKind } from '../../runtime/src/protocol.ts';

// Test files run as CommonJS (the root package is not "type": "module").
const appPath = join(__dirname, '../fixtures/apps/probe.ts');
const kinds: PoolKind[] = ['solo', 'async', 'threads', 'prefork'];
const scratch = mkdtempSync(join(tmpdir(), 'tasklane-pool-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function invocation(task: string, args: unknown[] = []): Invocation {
  return { id: randomUUID(), task, args, queue: 'images', retries: 2 };
}

async function withPool<T>(kind: PoolKind, path: string, body: (pool: Pool) => Promise<T>, concurrency = 2): Promise<T> {
  const pool = createPool(kind, { appPath: path, concurrency });
  await pool.start();
  try {
    return await body(pool);
  } finally {
    await pool.close({ graceful: true });
  }
}

const throwLine = readFileSync(appPath, 'utf8').split('\n').findIndex((line) => line.includes('throw new Error(message)')) + 1;

for (const kind of kinds) {
  test(`${kind}: a TypeScript task's error has a stack at its .ts line, and the task sees its context`, { timeout: 60_000 }, async () => {
    await withPool(kind, appPath, async (pool) => {
      const failed = await pool.run(invocation('probe.fail', ['no such image']));
      assert.equal(failed.ok, false);
      assert.equal(failed.error!.message, 'no such image');
      assert.match(failed.error!.stack!, new RegExp(`probe\\.ts:${throwLine}:\\d+`));

      const call = invocation('probe.context');
      const seen = await pool.run(call);
      assert.deepEqual(seen.result, { id: call.id, task: 'probe.context', queue: 'images', retries: 2 });

      const retry = await pool.run(invocation('probe.retry'));
      assert.equal(retry.ok, false);
      assert.deepEqual(retry.retry, { countdownMs: 2000, reason: 'not yet' });

      const notJson = await pool.run(invocation('probe.notJson'));
      assert.equal(notJson.ok, false);
      assert.match(notJson.error!.message, /not JSON/);

      const unknown = await pool.run(invocation('probe.nope'));
      assert.equal(unknown.error!.name, 'UnknownTaskError');
      assert.match(unknown.error!.message, /"probe.nope" is not registered.*probe\.where/);
    });
  });

  test(`${kind}: CPU time is measured: near the wall time for a busy loop, near zero for a sleep`, { timeout: 60_000 }, async () => {
    await withPool(kind, appPath, async (pool) => {
      // Side by side where the pool allows it: in the async pool they share one event loop, and
      // each must still be charged only its own slices.
      const [busy, idle] = await Promise.all([pool.run(invocation('probe.burn', [300])), pool.run(invocation('probe.sleep', [400]))]);
      assert.equal(busy.ok, true, JSON.stringify(busy.error));
      assert.equal(idle.ok, true, JSON.stringify(idle.error));
      assert.ok(busy.cpuMs > 0.7 * 300, `busy loop charged ${busy.cpuMs} ms of CPU for 300 ms burnt`);
      assert.ok(busy.cpuMs < 1.5 * busy.wallMs + 20, `busy loop charged ${busy.cpuMs} ms of CPU in ${busy.wallMs} ms`);
      assert.ok(idle.cpuMs < 0.3 * idle.wallMs, `sleep charged ${idle.cpuMs} ms of CPU in ${idle.wallMs} ms`);
    });
  });
}

test("an app in a folder without node_modules imports 'tasklane' (ESM and CommonJS workspaces)", { timeout: 120_000 }, async () => {
  for (const [variant, kinds] of [['esm', ['solo', 'threads', 'prefork']], ['cjs', ['threads', 'prefork']]] as const) {
    const folder = mkdtempSync(join(scratch, `${variant}-`));
    if (variant === 'esm') writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
    copyFileSync(join(__dirname, '../fixtures/apps/standalone.ts'), join(folder, 'tasks.ts'));
    for (const kind of kinds) {
      await withPool(kind, join(folder, 'tasks.ts'), async (pool) => {
        const outcome = await pool.run(invocation('standalone.hello', ['ada']));
        assert.equal(outcome.ok, true, `${variant} ${kind}: ${outcome.error?.stack}`);
        assert.equal(outcome.result, 'hello ada from standalone.hello');
      }, 1);
    }
  }
});

test("prefork: children start without V8's memory reducer, then with the parent's own flags (which win)", { timeout: 60_000 }, async () => {
  await withPool('prefork', appPath, async (pool) => {
    const { ok, result } = await pool.run(invocation('probe.execArgv'));
    assert.equal(ok, true);
    const flags = result as string[];
    assert.equal(flags[0], '--no-memory-reducer');
    assert.deepEqual(flags.slice(1, 1 + process.execArgv.length), process.execArgv);
  }, 1);
});

test('a missing app module fails start() with the path to fix', { timeout: 60_000 }, async () => {
  for (const kind of kinds) {
    const pool = createPool(kind, { appPath: join(scratch, 'missing.ts'), concurrency: 1 });
    await assert.rejects(pool.start(), /app module not found: .*missing\.ts/, kind);
  }
});

test('an app module that throws while loading fails start() with its error', { timeout: 60_000 }, async () => {
  const broken = join(scratch, 'broken.ts');
  writeFileSync(broken, "throw new Error('config missing: set SHOP_DB');\n");
  for (const kind of ['threads', 'prefork'] as const) {
    const pool = createPool(kind, { appPath: broken, concurrency: 1 });
    await assert.rejects(pool.start(), /config missing: set SHOP_DB/, kind);
  }
});

test('pool options: defaults, solo fixed at 1 with a warning, bad values named, Celery aliases', () => {
  const warnings: string[] = [];
  const notices: string[] = [];
  const log = { info: (m: string) => notices.push(m), warn: (m: string) => warnings.push(m), error() {} };
  assert.equal(defaultConcurrency('async'), 100);
  assert.equal(defaultConcurrency('solo'), 1);
  assert.ok(defaultConcurrency('threads') >= 1);
  assert.equal(createPool('async', { appPath }).concurrency, 100);
  assert.equal(createPool('threads', { appPath }).concurrency, defaultConcurrency('prefork'));
  assert.equal(createPool('solo', { appPath, concurrency: 4, log }).concurrency, 1);
  assert.match(warnings[0], /solo pool runs one task at a time: concurrency 4 ignored/);
  assert.throws(() => createPool('threads', { appPath, concurrency: 0 }), /threads pool: concurrency must be a positive integer, got 0/);
  assert.throws(() => createPool('prefork', { appPath, maxTasksPerChild: 1.5 }), /maxTasksPerChild must be a positive integer/);
  // Children and threads load the app; the in-process pools can run what this process registered.
  assert.throws(() => createPool('prefork', { appPath: '' }), /prefork pool: appPath is required/);
  assert.equal(createPool('async', {}).kind, 'async');
  assert.equal(parsePoolKind('gevent', log), 'async');
  assert.equal(parsePoolKind('eventlet', log), 'async');
  assert.equal(notices.length, 2);
  assert.throws(() => parsePoolKind('fork'), /unknown pool "fork": use one of prefork, threads, solo, async/);
});
