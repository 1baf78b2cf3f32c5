// A throwaway copy of examples/ (or another workspace of the checkout, such as the BullMQ
// fixture) for a run of VS Code, so tests and screenshots never dirty the real folder (workers
// write .tasklane/, tests may edit files).
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const skipped = new Set(['node_modules', '.tasklane', 'dist']);

/**
 * Copies examples/ (or `from`, relative to the checkout) of the checkout at `root` to `dir`, with links to the checkout's node_modules/
 * and runtime/ beside it, as in the repository: `import ... from 'tasklane'`, the tsconfig's
 * types and the config's "$schema": "../runtime/..." resolve as they do there.
 */
export function copyExamples(root, dir, from = 'examples') {
  if (!existsSync(join(root, from))) throw new Error(`${join(root, from)} is missing: it is the workspace VS Code opens`);
  cpSync(join(root, from), dir, { recursive: true, filter: (src) => !skipped.has(basename(src)) });
  for (const sibling of ['node_modules', 'runtime']) symlinkSync(join(root, sibling), join(dirname(dir), sibling), 'dir');
  return dir;
}
