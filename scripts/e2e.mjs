#!/usr/bin/env node
// The extension's integration tests (test/e2e/suite, bundled to dist/test/suite by scripts/build.mjs)
// in a real VS Code extension host: @vscode/test-electron's runTests, with scripts/code-shim.sh as
// the VS Code executable (code-server + headless Chromium), so the suite is a standard one that
// runs unchanged on desktop VS Code. Each run opens a fresh temp copy of examples/, so runs never
// dirty it.
// Three runs: the trusted one (runTests always passes --disable-workspace-trust); the BullMQ one,
// trusted too, on a copy of test/fixtures/bullmq with only the *.bullmq.test.js files (they start
// their own redis-server); then, when the suite has *.restricted.test.js files, one in Restricted
// Mode: the same executable and flags without --disable-workspace-trust, which runTests cannot leave out.
// Ends with "e2e: N passed, N failed"; exit code non-zero on any failure.
// Env: TASKLANE_E2E_TIMEOUT_MS (per run, default 600000), TASKLANE_VSCODE_CACHE (setup dir).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { copyExamples } from './lib/workspace.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const shim = join(root, 'scripts', 'code-shim.sh');
const suite = join(root, 'dist', 'test', 'suite', 'index.js');
for (const built of [join(root, 'dist', 'client.js'), suite]) {
  if (!existsSync(built)) {
    console.error(`e2e: ${relative(root, built)} is missing: run npm run build first`);
    process.exit(1);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'tasklane-e2e-'));
process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
process.once('SIGTERM', () => process.exit(143));

/** Runs the suite once; resolves to mocha's counts (or a failure when it reported none). */
async function runSuite(name, launch, from = 'examples') {
  console.log(`\n== e2e ${name} run`);
  const workspace = copyExamples(root, join(tmp, name, 'workspace'), from);
  const results = join(dirname(workspace), 'results.json');
  let error;
  try {
    await launch(workspace, { TASKLANE_E2E_RESULTS: results });
  } catch (err) {
    error = err;
  }
  if (existsSync(results)) {
    const counts = JSON.parse(readFileSync(results, 'utf8'));
    return { ...counts, failed: counts.failed || (error ? 1 : 0) };
  }
  console.log(`e2e: the ${name} run reported no results (${error ?? 'exit code 0'})`);
  return { passed: 0, failed: 1 };
}

const trusted = await runSuite('trusted', (workspace, env) => runTests({
  vscodeExecutablePath: shim,
  extensionDevelopmentPath: root,
  extensionTestsPath: suite,
  launchArgs: [workspace],
  extensionTestsEnv: env,
}));
const totals = { ...trusted };

const bullmq = await runSuite('bullmq', (workspace, env) => runTests({
  vscodeExecutablePath: shim,
  extensionDevelopmentPath: root,
  extensionTestsPath: suite,
  launchArgs: [workspace],
  extensionTestsEnv: { ...env, TASKLANE_E2E_SUITE: 'bullmq' },
}), join('test', 'fixtures', 'bullmq'));
totals.passed += bullmq.passed;
totals.failed += bullmq.failed;

if (readdirSync(dirname(suite)).some((f) => f.endsWith('.restricted.test.js'))) {
  const restricted = await runSuite('restricted-mode', (workspace, env) => new Promise((resolve, reject) => {
    const child = spawn(shim, [workspace, `--extensionDevelopmentPath=${root}`, `--extensionTestsPath=${suite}`], {
      env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`exit ${code ?? signal}`))));
  }));
  totals.passed += restricted.passed;
  totals.failed += restricted.failed;
}

console.log(`e2e: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
