// The .vsix: vsce accepts the manifest and README that `npm run package` uses, and the package
// holds what runs and none of the sources. Packs the current dist/ (npm test builds it first);
// `npm run package` does the same after a production build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

test('vsce packs the extension with the flags of npm run package', { timeout: 180_000 }, (t) => {
  if (!existsSync(join(root, 'dist', 'client.js'))) assert.fail('dist/client.js is missing: run npm run build first');
  const script: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.package;
  const flags = script.slice(script.indexOf('vsce package') + 'vsce package'.length).replace(/--out \S+/, '').trim().split(/\s+/);
  const out = mkdtempSync(join(tmpdir(), 'tasklane-vsix-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const vsix = join(out, 'tasklane.vsix');
  execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', ...flags, '--out', vsix], { cwd: root, stdio: 'pipe' });
  // A zip keeps each entry's name in plain text in its central directory.
  const names = readFileSync(vsix).toString('latin1');
  for (const shipped of ['extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/runtime/cli.mjs', 'extension/runtime/schema/tasklane.config.schema.json', 'extension/syntaxes/tasklane-log.tmLanguage.json']) {
    assert.ok(names.includes(shipped), `${shipped} is in the .vsix`);
  }
  for (const source of ['extension/client/src/', 'extension/server/src/', 'extension/test/']) {
    assert.ok(!names.includes(source), `${source} is not in the .vsix`);
  }
});
