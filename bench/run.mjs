#!/usr/bin/env node
// `npm run bench`: installs bench/'s own dependencies (BullMQ, the baseline, never a root
// dependency) when they are missing, then runs the TypeScript bench with every argument.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(`${bench}node_modules/bullmq/package.json`)) {
  process.stderr.write('[bench] installing bench dependencies (bullmq) with npm install --prefix bench\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['install', '--prefix', bench, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  if (install.status !== 0) {
    process.stderr.write('[bench] npm install --prefix bench failed; run it yourself and retry\n');
    process.exit(install.status ?? 1);
  }
}
const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=tasklane-source', `${bench}main.ts`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
