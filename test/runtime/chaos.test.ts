// A short `npm run chaos` (bench/chaos.ts): a few hundred tasks through every pool on the embedded
// and Redis brokers while workers, prefork children and Redis are killed, stopped, cut off and
// stalled. Nothing may be lost or left in a broker, every task ends as its kind expects, and no
// worker dies on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(__dirname, '../..');

test('chaos: every task accounted for across worker, child and Redis faults', { timeout: 600_000 }, async () => {
  const child = spawn(process.execPath, [
    '--import', 'tsx', '--conditions=tasklane-source', join(root, 'bench/chaos.ts'),
    '--tasks', '300', '--seconds', '25', '--seed', '42',
  ], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk) => { stdout += chunk; });
  const [code] = await once(child, 'exit');
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!);

  assert.equal(report.sent, 300);
  assert.equal(report.lost, 0, `lost: ${JSON.stringify(report.byBroker)}`);
  assert.equal(report.stranded, 0, `stranded: ${JSON.stringify(report.byBroker)}`);
  assert.deepEqual(report.unexpected, {});
  const failed = Object.values(report.failed as Record<string, number>).reduce((a, b) => a + b, 0);
  const dead = Object.values(report.deadLettered as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(report.succeeded + failed + dead, report.sent, 'every task has its outcome');
  assert.ok(report.failed.ChaosError > 0 && report.deadLettered.UnknownTask > 0, 'failures and dead letters went through too');
  assert.deepEqual(Object.keys(report.faults).sort(), ['child-kill', 'redis-cut', 'redis-kill', 'redis-stall', 'worker-kill', 'worker-term']);
  assert.deepEqual(report.crashes, []);
  assert.equal(code, 0);
});
