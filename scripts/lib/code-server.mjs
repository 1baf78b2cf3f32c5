// The real VS Code used by the e2e tests, `npm start` and the screenshots: code-server (VS Code
// server + web workbench, on its own Node 24, installed by scripts/setup-vscode-e2e.sh) and
// headless Debian Chromium through playwright-core to open the workbench.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

export const cacheDir = process.env.TASKLANE_VSCODE_CACHE ?? join(homedir(), '.cache', 'tasklane-vscode');
const node24 = join(cacheDir, 'node24', 'bin', 'node');
const entry = join(cacheDir, 'code-server', 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// A quiet, deterministic workbench: no welcome page, chat, marketplace, update or telemetry traffic
// (the network is closed; these only add noise and load).
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function requireInstalled() {
  for (const p of [node24, entry, chromiumPath]) {
    if (!existsSync(p)) throw new Error(`missing ${p}: run bash scripts/setup-vscode-e2e.sh`);
  }
}

/** code-server's own CLI (e.g. --install-extension), with the same Node 24 and state dirs. */
export function codeServerCli(args, { stateDir }) {
  requireInstalled();
  const r = spawnSync(node24, [entry, ...stateArgs(stateDir), ...args], { env: stateEnv(stateDir), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const stateArgs = (dir) => ['--user-data-dir', join(dir, 'user-data'), '--extensions-dir', join(dir, 'extensions'),
  '--config', join(dir, 'config.yaml')];
// Otherwise code-server writes ~/.config/code-server, ~/.local/share/code-server and more.
const stateEnv = (dir) => ({
  ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'xdg'),
});

/** Pids of the processes whose environment holds TASKLANE_VSCODE_RUN=tag (Linux /proc; none elsewhere). */
function taggedProcesses(tag) {
  if (!existsSync('/proc')) return [];
  const marker = `\0TASKLANE_VSCODE_RUN=${tag}\0`;
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid).filter((pid) => {
    try { return `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker); } catch { return false; }
  }).map(Number);
}

/**
 * Starts code-server on a loopback port and resolves once it listens.
 * - stateDir: where user data and extensions live; a throwaway dir (removed by stop()) when omitted.
 * - trust: false starts it with Workspace Trust on, so a fresh profile opens folders in Restricted Mode.
 * - extensionTests: the workbench accepts an extension under development and a test module.
 * - env: added to the environment, which the extension host and everything it starts inherit.
 */
export async function startCodeServer({ stateDir, port, trust = true, extensionTests = false, env = {} } = {}) {
  requireInstalled();
  const throwaway = !stateDir;
  const dir = stateDir ?? mkdtempSync(join(tmpdir(), 'tasklane-vscode-'));
  const tag = `${process.pid}-${randomUUID()}`;
  const authority = `127.0.0.1:${port ?? await freePort()}`;
  const settingsFile = join(dir, 'user-data', 'User', 'settings.json');
  mkdirSync(dirname(settingsFile), { recursive: true });
  // Restricted Mode as a user gets it after closing the "Do you trust the authors?" prompt: the
  // prompt is a modal dialog, which a workbench under test refuses to show.
  const trustSettings = trust ? {} : { 'security.workspace.trust.startupPrompt': 'never' };
  // A kept profile keeps the user's own changes.
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...trustSettings }, null, 2));
  const child = spawn(node24, [entry, ...stateArgs(dir),
    '--auth', 'none', '--bind-addr', authority,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(trust ? ['--disable-workspace-trust'] : []),
    // A built workbench ignores the extensionDevelopmentPath/extensionTestsPath URL payload
    // unless the smoke-test driver is on. Not for people: with it, the workbench refuses dialogs.
    ...(extensionTests ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ], {
    env: { ...stateEnv(dir), ...env, TASKLANE_VSCODE_RUN: tag },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() also ends the extension host, the language server and what
    // they start (they would outlive a killed code-server otherwise).
    detached: true,
  });
  // Some of what the extension host starts leaves the group (Tasklane's local workers, js-debug's
  // watchdogs: detached on purpose); they still carry the tag in their environment.
  const killRun = (signal) => {
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
    for (const pid of taggedProcesses(tag)) { try { process.kill(pid, signal); } catch { /* already gone */ } }
  };
  const onExit = () => { killRun('SIGKILL'); if (throwaway) rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', onExit);

  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  await new Promise((resolve, reject) => {
    const iv = setInterval(() => { if (log.includes('HTTP server listening')) { done(); resolve(); } }, 50);
    const exited = (code) => { done(); reject(new Error(`code-server exited with ${code} before listening:\n${log}`)); };
    const late = setTimeout(() => { done(); killRun('SIGKILL'); reject(new Error(`code-server did not listen within 120 s:\n${log}`)); }, 120_000);
    const done = () => { clearInterval(iv); clearTimeout(late); child.off('exit', exited); };
    child.once('exit', exited);
  });
  return {
    authority,
    url: `http://${authority}/`,
    log: () => log,
    exited: new Promise((resolve) => child.once('exit', resolve)),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        killRun('SIGTERM'); // workers get their warm shutdown
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      killRun('SIGKILL'); // whatever is still there
      process.off('exit', onExit);
      onExit();
    },
  };
}

/**
 * The workbench URL for a folder. The extension paths go in the `payload` parameter as
 * vscode-remote:// URIs so the Node (remote) extension host loads them: code-server ignores the
 * desktop --extensionDevelopmentPath/--extensionTestsPath flags.
 */
export function workbenchUrl(authority, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let url = `http://${authority}/?folder=${encodeURIComponent(folder).replaceAll('%2F', '/')}`; // readable, still exact
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Headless Debian Chromium (playwright-core kills it when this process exits). */
export function launchBrowser() {
  requireInstalled();
  const xdg = mkdtempSync(join(tmpdir(), 'tasklane-chromium-'));
  process.once('exit', () => rmSync(xdg, { recursive: true, force: true }));
  return chromium.launch({
    executablePath: chromiumPath,
    env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: xdg },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Workbench and remote-host chatter caused by the closed network or by running without a
// signed-in account; nothing a test depends on.
const noise = /No signed-in session|ChatModelSelection|open-vsx\.org|AccountPolicyGate|authentication provider|Creating a socket|connection token|telemetry|marketplace/i;

/** Forwards the page console (where the extension host's console output arrives) to `print`. */
export function forwardConsole(page, print) {
  page.on('console', async (msg) => {
    const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?')));
    // Extension-host lines come as ('%c INFO', 'color: …', text…): drop the styling.
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) args.splice(0, 2);
    const text = format(...args); // mocha's reporter logs printf-style ('%s%s', ...)
    if (text.trim() && !noise.test(text)) print(text);
  });
}

/**
 * Runs an extension's test module in a fresh code-server opened by headless Chromium, the way
 * `code FOLDER --extensionDevelopmentPath=DIR --extensionTestsPath=FILE` does on desktop: the
 * workbench loads the extension, the Node extension host calls run() of the module, and when it
 * settles the workbench calls window.codeAutomationExit(code). Resolves to that code, or to 1 with
 * the reason printed when code-server dies or `timeoutMs` passes first. Always stops both.
 * `onPage(page)` may add its own listeners before the workbench loads; `timeoutSetting` names
 * what sets the timeout, for the message.
 */
export async function runExtensionTests({ folder, extensionDevelopmentPath, extensionTestsPath, trust = true, env = {},
  timeoutMs, timeoutSetting = 'timeoutMs', viewport = { width: 1400, height: 900 }, onPage = () => {} }) {
  const t0 = Date.now();
  const say = (msg) => console.log(`[vscode ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
  const server = await startCodeServer({ trust, env, extensionTests: true });
  say(`code-server ${server.url}${trust ? '' : ' (Workspace Trust on: Restricted Mode)'}`);
  let browser;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport });
    forwardConsole(page, (line) => console.log(`  ${line}`));
    await onPage(page);
    let exit;
    const finished = new Promise((res) => { exit = res; });
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    // Generous: on a busy 2-core machine the workbench has taken 25 s to load.
    await page.goto(workbenchUrl(server.authority, { folder, extensionDevelopmentPath, extensionTestsPath }), { timeout: 180_000 });
    say('workbench loaded; the extension host runs the test module');
    let timer;
    const result = await Promise.race([
      finished,
      server.exited.then((code) => `code-server exited (${code})`),
      new Promise((res) => { timer = setTimeout(() => res(`timed out after ${timeoutMs / 1000}s (${timeoutSetting})`), timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (typeof result === 'number') {
      say(`test module finished, exit code ${result}`);
      return result;
    }
    console.error(`vscode: the run did not finish: ${result}. End of the code-server log:\n${server.log().split('\n').slice(-60).join('\n')}`);
    return 1;
  } finally {
    await browser?.close();
    await server.stop();
  }
}
