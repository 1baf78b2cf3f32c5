#!/usr/bin/env node
// Compiles the published packages, tasklane (runtime/) and @tasklane/analyzer (analyzer/), into
// their dist/: JavaScript ES modules with .d.ts types and source maps (tsc, project references),
// plus, for tasklane, the files tsc does not emit:
//   dist/src/loader-hooks.mjs  the loader hooks (they run on Node's loader thread), copied as is
//   dist/index.cjs       one CommonJS bundle of the package entry, for require('tasklane')
//   dist/src/**/*.d.cts  the types again, as CommonJS declarations for require() under NodeNext
// Task state (the registry, the run context) lives on globalThis, so a CommonJS and an ES copy
// loaded side by side still share it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const runtime = join(root, 'runtime');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export async function buildPackages() {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'runtime', 'analyzer'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error(`tsc -b runtime analyzer failed (exit ${tsc.status}): fix the type errors above`);

  copyFileSync(join(runtime, 'src', 'loader-hooks.mjs'), join(runtime, 'dist', 'src', 'loader-hooks.mjs'));

  const cjs = await build({
    absWorkingDir: runtime,
    entryPoints: ['dist/src/index.js'],
    outfile: 'dist/index.cjs',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    logLevel: 'silent',
  });
  // The entry's modules must not need import.meta (CommonJS has none): esbuild warns if one does.
  if (cjs.warnings.length) {
    throw new Error(`dist/index.cjs: ${cjs.warnings.map((w) => `${w.location?.file}:${w.location?.line}: ${w.text}`).join('; ')}`);
  }

  for (const file of walk(join(runtime, 'dist', 'src')).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2')
      .replace(/(import\(\s*['"]\.{1,2}\/[^'"]*?)\.js(['"]\s*\))/g, '$1.cjs$2');
    writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildPackages();
  console.log(`build-packages: runtime/dist, analyzer/dist in ${Math.round(performance.now() - started)} ms`);
}
