#!/usr/bin/env node
// `npm start`: the extension as users get it, in a real VS Code, on examples/.
// Installs what it needs (node_modules, then code-server + Chromium via the setup script), builds
// the .vsix (`npm run package`), installs it into desktop VS Code when `code` is on PATH and opens
// examples/ there; otherwise into the code-server the tests use, which it serves on loopback and
// prints the URL to open in a browser (Ctrl-C stops it and everything it started).
// Options: --port N (default 8080, or a free port when that one is taken), --code-server (skip
// desktop VS Code even when present).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = join(root, 'examples');
const vsix = join(root, 'dist', 'tasklane.vsix');
const { values: opts } = parseArgs({ options: { port: { type: 'string', default: '8080' }, 'code-server': { type: 'boolean' } } });
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be a TCP port number (1-65535), got "${opts.port}"`);

function fail(message) {
  console.error(`start: ${message}`);
  process.exit(1);
}

function step(what, cmd, args) {
  console.log(`start: ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${what} failed (${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal})`);
}

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const portFree = (p) => new Promise((resolve) => {
  const s = createServer().once('error', () => resolve(false)).listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
});

if (!existsSync(join(root, 'node_modules'))) step('installing dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
step('building the extension package', 'npm', ['run', 'package']);
if (!existsSync(vsix)) fail(`npm run package did not produce ${vsix}`);

if (!opts['code-server'] && onPath('code')) {
  step('installing the extension into VS Code', 'code', ['--install-extension', vsix, '--force']);
  // A new window on examples/, trusted for this session so running and debugging work at once.
  step('opening examples/ in VS Code', 'code', ['--new-window', '--disable-workspace-trust', examples]);
  process.exit(0);
}

step('installing VS Code (code-server) and Chromium when missing', 'bash', [join(root, 'scripts', 'setup-vscode-e2e.sh')]);
// Imported only now: playwright-core (a dependency of the lib) exists once node_modules does.
const { cacheDir, codeServerCli, startCodeServer, workbenchUrl } = await import('./lib/code-server.mjs');
// Kept between runs: the installed extension and the user's settings live here.
const stateDir = join(cacheDir, 'start');
console.log('start: installing the extension into code-server');
codeServerCli(['--install-extension', vsix, '--force'], { stateDir });

const server = await startCodeServer({ stateDir, port: (await portFree(port)) ? port : undefined });
let stopping = false;
const stop = async () => { stopping = true; await server.stop(); process.exit(0); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
const url = workbenchUrl(server.authority, { folder: examples });
console.log(`\nstart: Tasklane is installed in VS Code (code-server) with examples/ open. Open in a browser:\n\n  ${url}\n\nCtrl-C stops it.`);
const code = await server.exited;
if (!stopping) {
  console.error(`start: code-server exited (${code}); its log:\n${server.log()}`);
  process.exit(1);
}
