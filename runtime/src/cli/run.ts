// The `tasklane` process: the loader first (the workspace's TypeScript task modules, and 'tasklane'
// resolved to this runtime where the workspace has none), then the command. Brokers and timers may
// hold the loop open after a command is done, so the exit is explicit.
import { prepareLoader } from '../loader.ts';
import { main } from './main.ts';

await prepareLoader();
process.exit(await main(process.argv.slice(2)));
