// `npm run demo` right after `npm ci`: no runtime/dist exists yet, so the demo's own process must
// resolve `tasklane` (imported by examples/src/tasks.ts) to the sources, as the checkout's CLI does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

test('npm run demo resolves tasklane to the sources, so it runs before any build', () => {
  const script: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.demo;
  const [node, ...args] = script.split(' ');
  assert.equal(node, 'node');
  assert.equal(args.pop(), 'scripts/demo.mjs');
  const resolved = execFileSync(process.execPath, [...args, '--input-type=module', '-e', `console.log(import.meta.resolve('tasklane'))`], {
    cwd: join(root, 'examples'), env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8',
  }).trim();
  assert.match(resolved, /\/runtime\/src\/index\.ts$/);
});
