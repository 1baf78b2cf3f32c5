// The `tasklane` command line: dispatches to one module per command.
import { analyzeCommand } from './analyze.ts';
import { beatCommand } from './beat.ts';
import { callCommand } from './call.ts';
import { controlCommand } from './control.ts';
import { inspectCommand } from './inspect.ts';
import { CliError } from './options.ts';
import { purgeCommand } from './purge.ts';
import { revokeCommand } from './revoke.ts';
import { upCommand } from './up.ts';
import { workerCommand } from './worker.ts';

export const HELP = `Usage: tasklane <command> [options]

Commands:
  worker [name]                     run a worker (a worker of tasklane.config.json, or ad hoc from flags)
  up                                run every worker of tasklane.config.json (and beat, for schedules)
  beat [--list]                     send periodic tasks (app.schedule, config "schedules"); --list shows them
  call <task> '<json args>'         send a task (--wait prints its result as JSON)
  inspect active|stats|registered   ask the live workers
  inspect measured                  each task's CPU share over its recorded runs
  control ping|rate-limit|pool|shutdown   remote control: every live worker answers
  purge                             drop waiting messages from queues
  revoke <id> [--terminate]         stop a task: never run it, or abort (or kill) it while it runs
  analyze [path] [--json]           classify each task as CPU-bound, I/O-bound or mixed; suggest pools

Run \`tasklane <command> --help\` for a command's options.
The broker is --broker, else TASKLANE_BROKER, else the config's "broker", else file://.tasklane.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  worker: workerCommand,
  up: upCommand,
  beat: beatCommand,
  call: callCommand,
  inspect: inspectCommand,
  control: controlCommand,
  purge: purgeCommand,
  revoke: revokeCommand,
  analyze: analyzeCommand,
};

/** Runs one command; resolves to the process exit code. Errors print as one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`tasklane: unknown command "${command}": use one of ${Object.keys(COMMANDS).join(', ')} (tasklane --help)\n`);
    return 1;
  }
  try {
    return await run(rest);
  } catch (error) {
    // Our own, config and schedule errors (app.schedule throws while the app loads) are for the
    // user: one line. Anything else keeps its stack.
    const known = error instanceof CliError || ['ConfigError', 'BrokerUrlError', 'ScheduleError'].includes((error as Error).name);
    process.stderr.write(`tasklane ${command}: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
