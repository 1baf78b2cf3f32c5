#!/usr/bin/env node
// The `tasklane` command: runs the TypeScript CLI from source through tsx, with the runtime's
// loader (TypeScript task modules, and 'tasklane' resolved to this runtime when a workspace has none).
import { register } from 'tsx/esm/api';

register();
const { prepareLoader } = await import('../src/loader.ts');
await prepareLoader();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Brokers and timers may hold the loop open after a command is done.
process.exit(code);
