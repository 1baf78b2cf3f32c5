// A throwaway copy of examples/ for a run of VS Code, so tests and screenshots never dirty the
// real folder (workers write .tasklane/, tests may edit files).
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const skipped = new Set(['node_modules', '.tasklane', 'dist']);

/**
 * Copies examples/ of the checkout at `root` to `dir`, where `import ... from 'tasklane'` resolves
 * to its runtime/, as does the config's "$schema": "../runtime/..." (a runtime/ link beside `dir`).
 */
export function copyExamples(root, dir) {
  if (!existsSync(join(root, 'examples'))) throw new Error(`${join(root, 'examples')} is missing: it is the workspace VS Code opens`);
  cpSync(join(root, 'examples'), dir, { recursive: true, filter: (src) => !skipped.has(basename(src)) });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(root, 'runtime'), join(dir, 'node_modules', 'tasklane'), 'dir');
  symlinkSync(join(root, 'runtime'), join(dirname(dir), 'runtime'), 'dir');
  return dir;
}
