#!/usr/bin/env node
// The part of the desktop `code` command line that @vscode/test-electron's runTests uses, played
// by code-server + headless Chromium (scripts/code-shim.sh execs this):
//   code [FOLDER] --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--disable-workspace-trust] [...]
// The workbench loads the extension and calls run() of the test module in the Node extension host;
// when run() settles it calls window.codeAutomationExit(code), and that is our exit code.
// Other desktop flags (--no-sandbox, --user-data-dir=..., ...) mean nothing here: state is throwaway.
// Env: TASKLANE_E2E_TIMEOUT_MS (default 900000) bounds the whole run.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { forwardConsole, launchBrowser, startCodeServer, workbenchUrl } from './code-server.mjs';

const { values, positionals } = parseArgs({ strict: false, allowPositionals: true });
const extensionDevelopmentPath = values.extensionDevelopmentPath;
const extensionTestsPath = values.extensionTestsPath;
if (typeof extensionDevelopmentPath !== 'string' || typeof extensionTestsPath !== 'string' || positionals.length !== 1) {
  console.error('usage: code-shim.sh FOLDER --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--disable-workspace-trust]');
  process.exit(2);
}
const timeoutMs = Number(process.env.TASKLANE_E2E_TIMEOUT_MS ?? 900_000);
const t0 = Date.now();
const say = (msg) => console.log(`[vscode ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// Whoever started us (runTests) waits for our exit code; if it is gone, nobody will, so clean up
// (the exit handlers kill code-server's process group and Chromium).
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(1); }, 1000).unref();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => process.exit(130));

const server = await startCodeServer({ trust: values['disable-workspace-trust'] === true });
say(`code-server ${server.url}`);
let exitCode = 1;
let browser;
try {
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  forwardConsole(page, (line) => console.log(`  ${line}`));
  const finished = new Promise((res) => { void page.exposeFunction('codeAutomationExit', (code) => res(code)); });
  await page.goto(workbenchUrl(server.authority, {
    folder: resolve(positionals[0]),
    extensionDevelopmentPath: resolve(extensionDevelopmentPath),
    extensionTestsPath: resolve(extensionTestsPath),
  }));
  say('workbench loaded; the extension host runs the tests');
  let timer;
  const result = await Promise.race([
    finished,
    server.exited.then((code) => `code-server exited (${code})`),
    new Promise((res) => { timer = setTimeout(() => res(`timed out after ${timeoutMs / 1000}s (TASKLANE_E2E_TIMEOUT_MS)`), timeoutMs); }),
  ]);
  clearTimeout(timer);
  if (typeof result === 'number') {
    exitCode = result;
  } else {
    console.error(`e2e: the test run did not finish: ${result}. End of the code-server log:\n${server.log().split('\n').slice(-60).join('\n')}`);
  }
} finally {
  await browser?.close();
  await server.stop();
}
say(`tests finished, exit code ${exitCode}`);
process.exit(exitCode);
