#!/usr/bin/env node
// The `tasklane` command: runs the TypeScript CLI from source through tsx, with the runtime's
// loader (TypeScript task modules, and 'tasklane' resolved to this runtime when a workspace has none).
import { register as registerCjs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

// Both module systems: a task module in a folder without "type": "module" is CommonJS.
registerEsm();
registerCjs();
const { prepareLoader } = await import('../src/loader.ts');
await prepareLoader();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Brokers and timers may hold the loop open after a command is done.
process.exit(code);
