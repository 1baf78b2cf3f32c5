#!/usr/bin/env node
// The part of the desktop `code` command line that @vscode/test-electron's runTests uses, played
// by code-server + headless Chromium (scripts/code-shim.sh execs this):
//   code FOLDER --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--disable-workspace-trust] [...]
// Exit code: the test module's. Other desktop flags (--no-sandbox, --user-data-dir=..., ...) mean
// nothing here: the VS Code state is throwaway.
// Env: TASKLANE_E2E_TIMEOUT_MS (default 600000) bounds the whole run.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runExtensionTests } from './code-server.mjs';

const { values, positionals } = parseArgs({ strict: false, allowPositionals: true });
const { extensionDevelopmentPath, extensionTestsPath } = values;
if (typeof extensionDevelopmentPath !== 'string' || typeof extensionTestsPath !== 'string' || positionals.length !== 1) {
  console.error('usage: code-shim.sh FOLDER --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--disable-workspace-trust]');
  process.exit(2);
}

// Whoever started us (runTests) waits for our exit code; if it is gone, nobody will, so clean up
// (exit handlers kill code-server's process group and Chromium).
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(1); }, 1000).unref();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => process.exit(130));

process.exit(await runExtensionTests({
  folder: resolve(positionals[0]),
  extensionDevelopmentPath: resolve(extensionDevelopmentPath),
  extensionTestsPath: resolve(extensionTestsPath),
  trust: values['disable-workspace-trust'] === true,
  timeoutMs: Number(process.env.TASKLANE_E2E_TIMEOUT_MS ?? 600_000),
  timeoutSetting: 'env TASKLANE_E2E_TIMEOUT_MS',
}));
