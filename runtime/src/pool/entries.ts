// The files a pool starts in its threads and children, beside this module: the tsx-run source
// (runtime/src/pool/*.ts), the compiled package (runtime/dist/src/pool/*.js) or the extension's
// bundle (one folder, one extension: see index.ts).
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';

const ownExtension = extname(new URL(import.meta.url).pathname);
const sourceForm = ownExtension === '.ts';

/** The prefork child. Compiled, it registers tsx itself (loader.ts) before loading the app. */
export const childEntry = new URL(`./child${ownExtension}`, import.meta.url);

/**
 * Node flags the child needs to start at all: in source form, tsx. The parent's execArgv carries
 * it only when tsx came in by --import (the test runner); `tasklane` registers tsx through its API.
 */
export const childLoaderFlags: readonly string[] = sourceForm
  ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
  : [];

/** The worker thread: in source form through a JS bootstrap that registers tsx inside the thread. */
export const threadEntry = sourceForm
  ? new URL('./thread-bootstrap.mjs', import.meta.url)
  : new URL(`./thread${ownExtension}`, import.meta.url);
