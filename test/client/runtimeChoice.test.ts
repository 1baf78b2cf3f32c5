// Which runtime local workers run: the workspace's installed tasklane when its version fits, else
// the bundled one, with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseRuntime, compatible, describeRuntime } from '../../client/src/runtimeChoice.ts';
import bundled from '../../runtime/package.json';

const BUNDLED_CLI = '/ext/dist/runtime/cli.mjs';

function workspace(manifest?: Record<string, unknown>, checkout = false): string {
  const root = mkdtempSync(join(tmpdir(), 'tasklane-choice-'));
  writeFileSync(join(root, 'package.json'), '{"name":"app"}');
  if (manifest) {
    const dir = join(root, 'node_modules', 'tasklane');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tasklane', ...manifest }));
    if (checkout) writeFileSync(join(dir, 'tsconfig.json'), '{}');
  }
  return root;
}

test('same major, and same minor while 0.x', () => {
  assert.ok(compatible('0.1.7', '0.1.0'));
  assert.ok(!compatible('0.2.0', '0.1.0'));
  assert.ok(compatible('1.4.0', '1.0.0'));
  assert.ok(!compatible('2.0.0', '1.9.0'));
});

test('no tasklane in the workspace: the bundled runtime', () => {
  const choice = chooseRuntime(workspace(), BUNDLED_CLI);
  assert.deepEqual(choice, { kind: 'bundled', version: bundled.version, cliPath: BUNDLED_CLI });
  assert.equal(describeRuntime(choice), `bundled tasklane ${bundled.version}`);
});

test("a compatible install: the workspace's own CLI", () => {
  const root = workspace({ version: bundled.version, bin: { tasklane: './bin/tasklane.mjs' } });
  const choice = chooseRuntime(root, BUNDLED_CLI);
  assert.equal(choice.kind, 'workspace');
  assert.equal(choice.cliPath, join(root, 'node_modules', 'tasklane', 'bin', 'tasklane.mjs'));
});

test('an incompatible version or a source checkout: bundled, saying why', () => {
  const old = chooseRuntime(workspace({ version: '9.0.0', bin: { tasklane: './bin/tasklane.mjs' } }), BUNDLED_CLI);
  assert.equal(old.kind, 'bundled');
  assert.match(old.note!, /tasklane 9\.0\.0 does not match this extension's/);
  const checkout = chooseRuntime(workspace({ version: bundled.version, bin: { tasklane: './bin/tasklane.mjs' } }, true), BUNDLED_CLI);
  assert.match(checkout.note!, /source checkout/);
});
