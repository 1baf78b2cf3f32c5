#!/usr/bin/env node
// Bundles the extension with esbuild into dist/:
//   dist/client.js          the extension (CommonJS, `vscode` provided by the host)
//   dist/server.js          the language server, started by the client over IPC
//   dist/runtime/*.mjs      the runtime the local workers run: the CLI plus the entry files the pools
//                           load beside it (runtime/src/pool/index.ts names them), ESM, with
//                           loader-hooks.mjs copied as is and `tsx`/`piscina` left to node_modules
//                           (both load files of their own package at run time)
//   dist/test/suite/*.js    the e2e mocha suite (test/e2e/suite), loaded by the extension host
// `--production` minifies and drops source maps (what `npm run package` ships).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');
const dist = join(root, 'dist');
const started = performance.now();

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  // Source maps point at the TypeScript files in the repository, so stepping into the runtime
  // from a debug session shows the sources.
  sourcesContent: false,
  logLevel: 'warning',
};

/** Entry files that do not exist yet are reported, not fatal: the parts are written in parallel. */
function present(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([out, file]) => {
    if (existsSync(join(root, file))) return true;
    console.log(`build: ${file} does not exist yet, dist/${out} not built`);
    return false;
  }));
}

rmSync(dist, { recursive: true, force: true });

const runtimeEntries = present({
  'runtime/cli': 'runtime/src/cli/main.ts',
  'runtime/index': 'runtime/src/index.ts',
  'runtime/child': 'runtime/src/pool/child.ts',
  'runtime/thread': 'runtime/src/pool/thread.ts',
});
const suite = join(root, 'test', 'e2e', 'suite');
const tests = existsSync(suite) ? readdirSync(suite).filter((f) => f.endsWith('.ts')).map((f) => join(suite, f)) : [];

await Promise.all([
  build({ ...common, format: 'cjs', external: ['vscode'], entryPoints: present({ client: 'client/src/extension.ts' }), outdir: dist }),
  build({ ...common, format: 'cjs', entryPoints: present({ server: 'server/src/server.ts' }), outdir: dist }),
  build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: runtimeEntries,
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'runtime/chunks/[name]-[hash]',
    external: ['tsx', 'piscina'],
    // CommonJS dependencies (ioredis, ajv) call require() for Node built-ins; an ESM bundle has none.
    banner: { js: "import { createRequire as __tasklaneRequire } from 'node:module'; const require = __tasklaneRequire(import.meta.url);" },
  }),
  tests.length && build({ ...common, format: 'cjs', external: ['vscode', 'mocha'], entryPoints: tests, outdir: join(dist, 'test', 'suite') }),
]);
mkdirSync(join(dist, 'runtime'), { recursive: true });
copyFileSync(join(root, 'runtime', 'src', 'loader-hooks.mjs'), join(dist, 'runtime', 'loader-hooks.mjs'));

console.log(`build: ${relative(root, dist)}/ in ${Math.round(performance.now() - started)} ms${production ? ' (production)' : ''}`);
