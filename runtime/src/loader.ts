// Loads the user's app module in any pool (this process, a prefork child, a worker thread):
// TypeScript straight from source through tsx (with source maps, so stacks and breakpoints point at
// the .ts lines), and the bare specifier 'tasklane' resolved to this runtime when the app's folder
// has none installed.
//
// Works from the tsx-run source (runtime/src/*.ts) and from the extension's esbuild bundle
// (dist/runtime/*.mjs): sibling files are found relative to import.meta.url with this file's own
// extension, and the bundle keeps `tsx` external and ships loader-hooks.mjs beside its entries.
import { existsSync } from 'node:fs';
import Module, { register } from 'node:module';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ownExtension = extname(new URL(import.meta.url).pathname);
const runtimeEntry = new URL(`./index${ownExtension}`, import.meta.url);

// Per thread: Node 20 applies neither --import nor module.register() of the parent to worker
// threads, and each thread has its own globalThis.
const READY = Symbol.for('tasklane.loader');

async function enableTypeScript(): Promise<void> {
  // This file itself is TypeScript source, so a TypeScript loader is already active in this thread.
  if (ownExtension === '.ts') return;
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
}

function resolveRuntimeFallback(): void {
  register(new URL('./loader-hooks.mjs', import.meta.url), { data: { runtimeUrl: runtimeEntry.href } });
  // CommonJS task modules (a workspace without "type": "module") resolve through require():
  // module.register() does not see those in Node 20, so fall back in the CJS resolver too.
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  const runtimePath = fileURLToPath(runtimeEntry);
  cjs._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    try {
      return original.call(this, request, ...rest);
    } catch (error) {
      if (request === 'tasklane' && (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return runtimePath;
      throw error;
    }
  };
}

/** Makes this thread able to import TypeScript task modules; idempotent. */
export async function prepareLoader(): Promise<void> {
  const scope = globalThis as Record<symbol, unknown>;
  if (scope[READY]) return;
  scope[READY] = true;
  await enableTypeScript();
  resolveRuntimeFallback();
}

/** Imports the app module (relative paths are from the current directory) so its tasks register. */
export async function loadApp(appPath: string): Promise<void> {
  const absolute = resolve(appPath);
  if (!existsSync(absolute)) {
    throw new Error(`app module not found: ${absolute} (from "${appPath}"): point --app / "app" in tasklane.config.json at the file that calls app.task()`);
  }
  await prepareLoader();
  await import(pathToFileURL(absolute).href);
}
