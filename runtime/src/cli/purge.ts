// `tasklane purge`: drops the waiting messages of the workspace's queues (or the named ones).
import { COMMON_OPTIONS, list, parseCommand } from './options.ts';
import { connectBroker, knownQueues, resolveWorkspace } from './workspace.ts';

export const PURGE_HELP = `Usage: tasklane purge [options]

Drops every waiting message (ready or delayed; not the ones workers hold) from the queues.

Options:
  -Q, --queues <a,b>    queues to purge (default: every queue of the config's workers and routes, and "default")
  -b, --broker <url>    broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
      --config <file>   tasklane.config.json (default: the nearest above the cwd)
`;

export async function purgeCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('purge', argv, { ...COMMON_OPTIONS, queues: { type: 'string', short: 'Q', multiple: true } });
  if (values.help) {
    process.stdout.write(PURGE_HELP);
    return 0;
  }
  const workspace = resolveWorkspace(values);
  const queues = list(values.queues) ?? knownQueues(workspace.config);
  const broker = await connectBroker(workspace);
  try {
    const dropped = await broker.purge(queues);
    process.stdout.write(`purged ${dropped} message(s) from ${queues.join(', ')}\n`);
    return 0;
  } finally {
    await broker.close();
  }
}
