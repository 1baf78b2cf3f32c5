// `tasklane control ping | rate-limit TASK 10/s | pool grow N | pool shrink N | shutdown`: Celery's
// `celery control`. Every live worker (or those named with -d) answers within --timeout; one line
// per worker, or --json.
import { toMs } from '../duration.ts';
import type { ControlCommand } from '../protocol.ts';
import { sendControl } from '../worker/control.ts';
import { COMMON_OPTIONS, CliError, list, parseCommand } from './options.ts';
import { connectBroker, resolveWorkspace } from './workspace.ts';

export const CONTROL_HELP = `Usage: tasklane control <command> [options]

  ping                      every live worker answers pong
  rate-limit <task> <rate>  set a task's rate limit on the workers (10/s, 100/m, 2/h; 0 removes it)
  pool grow <n>             n more tasks at once (prefork forks children, threads start threads)
  pool shrink <n>           n fewer (running tasks finish first)
  shutdown                  warm shutdown: the workers finish their running tasks and exit

Options:
  -d, --destination <a,b>   only these workers (by name, as inspect lists them)
  -t, --timeout <dur>       how long to wait for replies (default 1s; 10s for pool)
      --json                print the replies as JSON
  -b, --broker <url>        broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
      --config <file>       tasklane.config.json (default: the nearest above the cwd)
`;

const USAGE = 'ping, rate-limit <task> <rate>, pool grow <n>, pool shrink <n> or shutdown';

/** The request a command line means, or one error saying what to type. */
function request(words: string[]): { command: ControlCommand; args: string[] } {
  const [first, ...rest] = words;
  const arity = (n: number, example: string) => {
    if (rest.length !== n) throw new CliError(`tasklane control ${first} takes ${n ? `${n} argument(s): e.g. tasklane control ${example}` : 'no argument'}${rest.length ? `, got "${rest.join(' ')}"` : ''}`);
  };
  switch (first) {
    case 'ping':
    case 'shutdown':
      arity(0, first);
      return { command: first, args: [] };
    case 'rate-limit':
      arity(2, 'rate-limit images.resize 10/s');
      return { command: 'rate-limit', args: rest };
    case 'pool': {
      const [verb, n, ...extra] = rest;
      if ((verb !== 'grow' && verb !== 'shrink') || extra.length || !/^[1-9]\d*$/.test(n ?? '')) {
        throw new CliError(`tasklane control pool needs grow or shrink and a whole number >= 1, e.g. tasklane control pool grow 2${rest.length ? `; got "${rest.join(' ')}"` : ''}`);
      }
      return { command: verb === 'grow' ? 'pool-grow' : 'pool-shrink', args: [n] };
    }
    default:
      throw new CliError(`tasklane control needs one of ${USAGE}${first ? `, got "${words.join(' ')}"` : ''}`);
  }
}

export async function controlCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('control', argv, {
    ...COMMON_OPTIONS,
    destination: { type: 'string', short: 'd', multiple: true },
    timeout: { type: 'string', short: 't' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(CONTROL_HELP);
    return 0;
  }
  const { command, args } = request(positionals);
  // A threads worker answers a pool resize once its new threads have loaded the app: seconds, not one.
  const timeout = values.timeout ?? (command === 'pool-grow' || command === 'pool-shrink' ? '10s' : '1s');
  let timeoutMs: number;
  try {
    timeoutMs = toMs(timeout);
  } catch (error) {
    throw new CliError(`--timeout: ${(error as Error).message}`);
  }
  const broker = await connectBroker(resolveWorkspace(values));
  try {
    const replies = await sendControl(broker, command, args, { timeoutMs, destination: list(values.destination) });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(replies.map(({ worker, ok, reply, error }) => ({ worker, ok, ...(ok ? { reply } : { error }) })))}\n`);
    } else if (!replies.length) {
      process.stderr.write(`no worker answered within ${timeout} (broker ${broker.displayUrl})\n`);
    } else {
      process.stdout.write(`${replies.map((r) => `${r.worker}: ${r.ok ? r.reply : `error: ${r.error}`}`).join('\n')}\n`);
    }
    return replies.length && replies.every((r) => r.ok) ? 0 : 1;
  } finally {
    await broker.close();
  }
}
