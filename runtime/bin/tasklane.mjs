#!/usr/bin/env node
// The `tasklane` command. Installed, it runs the compiled dist/; in a checkout of the repository
// (tsconfig.json beside package.json, which the package does not ship) it runs the TypeScript
// sources through tsx, so no build step can leave it stale.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../tsconfig.json', import.meta.url))) {
  // Both module systems: a task module in a folder without "type": "module" is CommonJS.
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
  await import('../src/cli/run.ts');
} else {
  await import('../dist/src/cli/run.js');
}
