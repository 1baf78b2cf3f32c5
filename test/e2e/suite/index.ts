// The test module VS Code's extension host loads for --extensionTestsPath (bundled by
// scripts/build.mjs to dist/test/suite/index.js): run() runs the *.test.js files beside it with
// mocha; a rejection marks the run failed.
// Which files depends on the workspace's trust, so one bundle serves both of scripts/e2e.mjs's
// runs: in a trusted workspace every *.test.js but *.restricted.test.js and *.bullmq.test.js; in
// Restricted Mode (VS Code started without --disable-workspace-trust) only the *.restricted.test.js
// files; with TASKLANE_E2E_SUITE=bullmq (the BullMQ fixture's run) only the *.bullmq.test.js files.
// Mocha's counts go to $TASKLANE_E2E_RESULTS when set, for the "e2e: N passed, N failed" line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  // Generous: a worker or a debug session starting on a loaded 2-core machine takes a while.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000 });
  const kind = !vscode.workspace.isTrusted ? '.restricted.test.js' : process.env.TASKLANE_E2E_SUITE === 'bullmq' ? '.bullmq.test.js' : undefined;
  const kindOf = (file: string) => ['.restricted.test.js', '.bullmq.test.js'].find((k) => file.endsWith(k));
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js') && kindOf(file) === kind) {
      mocha.addFile(path.join(__dirname, file));
    }
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.TASKLANE_E2E_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: failures }));
      if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
      else resolve();
    });
  });
}
