// `tasklane revoke <id> [--terminate]`: Celery's revoke from a terminal. Checks the id first (a
// finished task, or one no queue or live worker has, is an error that says so), then revokes it
// as AsyncResult.revoke does.
import { revokeTask } from '../contract.ts';
import { COMMON_OPTIONS, CliError, list, parseCommand } from './options.ts';
import { connectBroker, knownQueues, resolveWorkspace } from './workspace.ts';

export const REVOKE_HELP = `Usage: tasklane revoke <task id> [options]

Revokes a task: a waiting one never runs; a running one has its context().signal aborted, or with
--terminate its thread or child process killed and replaced (prefork, threads; solo and async can
only abort the signal). Whoever waits for its result gets state REVOKED.

Options:
      --terminate         kill the thread or child process running it
  -Q, --queues <a,b>      queues to look for it in (default: every queue of the config, and "default")
  -b, --broker <url>      broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
  -c, --config <file>     tasklane.config.json (default: the nearest above the cwd)
`;

export async function revokeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('revoke', argv, {
    ...COMMON_OPTIONS, terminate: { type: 'boolean' }, queues: { type: 'string', short: 'Q', multiple: true },
  });
  if (values.help) {
    process.stdout.write(REVOKE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`name one task id, e.g. tasklane revoke 0b8e4c1e-… --terminate (got ${positionals.length})`);
  const [id] = positionals;
  const workspace = resolveWorkspace(values);
  const queues = list(values.queues) ?? knownQueues(workspace.config);
  const broker = await connectBroker(workspace);
  try {
    const stored = await broker.getResult(id);
    if (stored) throw new CliError(`task ${stored.task}[${id}] has already finished (${stored.state} at ${new Date(stored.finishedAt).toISOString()}): there is nothing to revoke`);
    const runningOn = (await broker.workers()).find((w) => w.active.some((a) => a.id === id));
    if (!runningOn && !(await broker.holds(queues, id))) {
      throw new CliError(`unknown task id ${id}: no stored result, not waiting in ${queues.join(', ')} and not running on a live worker (check the id, or name its queue with --queues)`);
    }
    await revokeTask(broker, id, { terminate: values.terminate });
    const where = runningOn ? `running on ${runningOn.name} (${runningOn.pool}): ${values.terminate ? 'terminating it' : 'aborting its signal'}` : 'waiting: it will not run';
    process.stdout.write(`revoked task ${id}, ${where}\n`);
    return 0;
  } finally {
    await broker.close();
  }
}
