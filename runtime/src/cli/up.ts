// `tasklane up`: every worker of the config as a child process (`tasklane worker <name>`), and a
// `tasklane beat` when the app or the config has schedules, each output line prefixed with "<name> | ". SIGTERM/SIGINT are forwarded (a second one makes the
// workers' shutdown cold); exits when all workers have, with the worst exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { workspaceSchedules } from './beat.ts';
import { COMMON_OPTIONS, CliError, parseCommand } from './options.ts';
import { resolveWorkspace } from './workspace.ts';

export const UP_HELP = `Usage: tasklane up [options]

Starts every worker of tasklane.config.json, each in its own process, and \`tasklane beat\` when
there are schedules (app.schedule(...) or "schedules"); output lines are prefixed with the name. Ctrl+C (or SIGTERM) stops them warm, a second one cold.

Options:
  -l, --loglevel <level>  passed to every worker
  -b, --broker <url>      broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
      --config <file>     tasklane.config.json (default: the nearest above the cwd)
`;

function pipeLines(stream: NodeJS.ReadableStream, prefix: string, out: NodeJS.WriteStream): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

export async function upCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('up', argv, { ...COMMON_OPTIONS, loglevel: { type: 'string', short: 'l' } });
  if (values.help) {
    process.stdout.write(UP_HELP);
    return 0;
  }
  const workspace = resolveWorkspace(values);
  if (!workspace.config) throw new CliError('tasklane up needs a tasklane.config.json with "workers" (none found at or above the current folder)');
  const names = Object.keys(workspace.config.config.workers ?? {});
  if (!names.length) throw new CliError(`${workspace.config.path} defines no "workers": add one, e.g. "workers": { "io": { "pool": "async" } }`);

  // Loading the app here finds its schedules and stops at once on one that names no task.
  const beat = (workspace.appPath || workspace.config.config.schedules) && (await workspaceSchedules(workspace)).length > 0;
  const processes = names.map((name) => ({ name, args: ['worker', name] }));
  if (beat) processes.push({ name: 'beat', args: ['beat'] });

  const width = Math.max(...processes.map((p) => p.name.length));
  const shared = ['--config', workspace.config.path, '--broker', workspace.brokerUrl, ...(values.loglevel ? ['--loglevel', values.loglevel] : [])];
  // Re-run this same CLI entry (bin shim or bundle) with the same Node flags.
  const children = new Map<string, ChildProcess>();
  const exits = processes.map(({ name, args }) => new Promise<number>((resolve) => {
    // Own process group: Ctrl+C in a terminal signals the whole foreground group, and the
    // forwarded copy would then be each worker's second signal (a cold shutdown).
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args, ...shared], {
      stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    children.set(name, child);
    const prefix = `${name.padEnd(width)} | `;
    pipeLines(child.stdout!, prefix, process.stdout);
    pipeLines(child.stderr!, prefix, process.stderr);
    child.on('exit', (code, signal) => {
      children.delete(name);
      process.stdout.write(`${prefix}exited ${signal ? `on ${signal}` : `with code ${code}`}\n`);
      resolve(code ?? 1);
    });
  }));
  const forward = (signal: NodeJS.Signals) => {
    for (const child of children.values()) child.kill(signal);
  };
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  // Nobody reads our output any more (the terminal or the parent is gone): stop the workers warm,
  // rather than die of EPIPE and leave them running on their own (they have their own process group).
  let unread = false;
  for (const out of [process.stdout, process.stderr]) {
    out.on('error', () => {
      if (unread) return;
      unread = true;
      forward('SIGTERM');
    });
  }
  const codes = await Promise.all(exits);
  return Math.max(0, ...codes);
}
