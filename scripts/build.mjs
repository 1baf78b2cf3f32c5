#!/usr/bin/env node
// Compiles the published packages (scripts/build-packages.mjs), then bundles the extension with
// esbuild into dist/:
//   dist/client.js          the extension (CommonJS, `vscode` provided by the host)
//   dist/server.js          the language server, started by the client over IPC
//   dist/runtime/*.mjs      the runtime the local workers run: the CLI plus the entry files the pools
//                           load beside it (runtime/src/pool/index.ts names them), ESM, with
//                           loader-hooks.mjs copied as is and `tsx`/`piscina` left to node_modules
//                           (both load files of their own package at run time)
//   dist/test/suite/*.js    the e2e mocha suite (test/e2e/suite), loaded by the extension host
// `--production` minifies, drops source maps and copies the external packages with their own
// dependencies into dist/node_modules (what `npm run package` ships: the .vsix holds no other
// node_modules). Every third-party package is in the .vsix once: a package that more than one
// bundle uses (ioredis, ajv, croner, lmdb: the client's Runs view and the workers' runtime; the server's
// config checks; schedules' next fire times in the Tasks view, the config checks and beat; the embedded
// broker's store) stays external to all of them and is shipped once in dist/node_modules.
import { build } from 'esbuild';
import { buildPackages } from './build-packages.mjs';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');
const started = performance.now();
// Built beside dist/ and swapped in at the end: a build never leaves a half-written dist/ under a
// running test, worker or debug session (the working tree is shared).
const final = join(root, 'dist');
const dist = join(root, `dist.building-${process.pid}`);
process.once('exit', () => rmSync(dist, { recursive: true, force: true }));

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
  // Prefer ES module builds: jsonc-parser's UMD build requires its own files at run time, which a
  // bundle does not have.
  mainFields: ['module', 'main'],
  // The workspace packages' TypeScript sources (their package.json "exports"), not a stale dist/.
  conditions: ['tasklane-source'],
};

/** Entry files that do not exist yet are reported, not fatal: the parts are written in parallel. */
function present(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([out, file]) => {
    if (existsSync(join(root, file))) return true;
    console.log(`build: ${file} does not exist yet, dist/${out} not built`);
    return false;
  }));
}

const runtimeEntries = present({
  'runtime/cli': 'runtime/src/cli/run.ts',
  'runtime/index': 'runtime/src/index.ts',
  'runtime/child': 'runtime/src/pool/child.ts',
  'runtime/thread': 'runtime/src/pool/thread.ts',
});
const suite = join(root, 'test', 'e2e', 'suite');
const tests = existsSync(suite) ? readdirSync(suite).filter((f) => f.endsWith('.ts')).map((f) => join(suite, f)) : [];

/** Used by more than one bundle: external to each, shipped once (see the top). */
const SHARED = ['ioredis', 'ajv', 'croner', 'lmdb'];

await buildPackages();
await Promise.all([
  build({ ...common, format: 'cjs', external: ['vscode', ...SHARED], entryPoints: present({ client: 'client/src/extension.ts' }), outdir: dist }),
  build({ ...common, format: 'cjs', external: SHARED, entryPoints: present({ server: 'server/src/server.ts' }), outdir: dist }),
  build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: runtimeEntries,
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    // Shared code in the same folder as the entries: the runtime finds its entry files (child,
    // thread, index, loader-hooks) relative to import.meta.url of whichever file holds that code.
    chunkNames: 'runtime/[name]-[hash]',
    // The analyzer stays out: workers never load it, and the editor analyses in dist/server.js.
    external: ['tsx', 'piscina', '@tasklane/analyzer', ...SHARED],
    // CommonJS dependencies (ioredis, ajv) use require(), __filename and
    // __dirname, which an ES module does not have.
    banner: {
      js: [
        "import { createRequire as __tasklaneRequire } from 'node:module';",
        "import { fileURLToPath as __tasklaneFileURLToPath } from 'node:url';",
        "import { dirname as __tasklaneDirname } from 'node:path';",
        'const require = __tasklaneRequire(import.meta.url);',
        'const __filename = __tasklaneFileURLToPath(import.meta.url);',
        'const __dirname = __tasklaneDirname(__filename);',
      ].join(' '),
    },
  }),
  tests.length && build({ ...common, format: 'cjs', external: ['vscode', 'mocha'], entryPoints: tests, outdir: join(dist, 'test', 'suite') }),
]);
mkdirSync(join(dist, 'runtime'), { recursive: true });
copyFileSync(join(root, 'runtime', 'src', 'loader-hooks.mjs'), join(dist, 'runtime', 'loader-hooks.mjs'));

if (production) {
  // tsx compiles the workspace's TypeScript tasks with esbuild's binary for this platform; piscina
  // starts its own worker file. They and SHARED resolve from dist/*.js and dist/runtime through
  // dist/node_modules. npm workspaces hoist every dependency to the root node_modules.
  const packageDir = (name) => join(root, 'node_modules', name);
  // lmdb (the embedded broker's store) loads its binary from the platform package, an optional dependency, as esbuild does.
  const wanted = ['tsx', 'piscina', `@esbuild/${process.platform}-${process.arch}`, `@lmdb/lmdb-${process.platform}-${process.arch}`, ...SHARED];
  const copied = new Set();
  while (wanted.length) {
    const name = wanted.shift();
    if (copied.has(name)) continue;
    copied.add(name);
    cpSync(packageDir(name), join(dist, 'node_modules', name), {
      recursive: true,
      // esbuild's bin/ repeats the platform package's binary; TypeScript sources and types, maps and docs do not run.
      filter: (src) => !(name === 'esbuild' && relative(packageDir(name), src) === 'bin') && !/\.([cm]?ts|map|md)$/.test(src),
    });
    // Its dependencies too (not optional ones: the one esbuild and lmdb binary this platform needs is named above).
    wanted.push(...Object.keys(JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).dependencies ?? {}));
  }
}

const previous = join(root, `dist.previous-${process.pid}`);
if (existsSync(final)) renameSync(final, previous);
renameSync(dist, final);
rmSync(previous, { recursive: true, force: true });

console.log(`build: ${relative(root, final)}/ in ${Math.round(performance.now() - started)} ms${production ? ' (production)' : ''}`);
