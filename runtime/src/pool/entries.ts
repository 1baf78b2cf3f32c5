// The files a pool starts in its threads and children, beside this module: the tsx-run source
// (runtime/src/pool/*.ts) or the extension's bundle (one folder, one extension: see index.ts).
import { extname } from 'node:path';

const ownExtension = extname(new URL(import.meta.url).pathname);
const sourceForm = ownExtension === '.ts';

/** The prefork child: forked with the parent's execArgv, which in source form already loads tsx. */
export const childEntry = new URL(`./child${ownExtension}`, import.meta.url);

/** The worker thread: in source form through a JS bootstrap that registers tsx inside the thread. */
export const threadEntry = sourceForm
  ? new URL('./thread-bootstrap.mjs', import.meta.url)
  : new URL(`./thread${ownExtension}`, import.meta.url);
