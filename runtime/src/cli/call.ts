// `tasklane call <task> '<json args>'`: sends a task; with --wait, prints its result as JSON on the
// last line of stdout (exit 0), or its error and remote stack on stderr (exit 1).
import { toMs } from '../duration.ts';
import { loadApp } from '../loader.ts';
import { findTask, taskNames, type TaskOptions } from '../registry.ts';
import { sendTask } from '../contract.ts';
import { TaskError } from '../result.ts';
import type { Broker } from '../broker/broker.ts';
import { COMMON_OPTIONS, CliError, parseCommand } from './options.ts';
import { connectBroker, resolveWorkspace } from './workspace.ts';

export const CALL_HELP = `Usage: tasklane call <task> ['<json args>'] [options]

Sends a task. The arguments are a JSON array, e.g. tasklane call images.resize '["a.png", 200]'.
Prints the task id; with --wait, the result as JSON on the last line (exit 1 if the task failed).

Options:
  -w, --wait               wait for the result
  -t, --timeout <dur>      give up waiting after this long (e.g. 30s; default: wait forever)
  -q, --queue <name>       queue (default: the task's option, then routes, then "default")
      --countdown <dur>    start no earlier than this long from now
  -A, --app <file>         app module, to check the task name (default: config "app")
  -b, --broker <url>       broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
      --config <file>      tasklane.config.json (default: the nearest above the cwd)
`;

function parseJsonArgs(task: string, text: string | undefined): unknown[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`the arguments are not JSON (${(error as Error).message}): pass a JSON array, e.g. tasklane call ${task} '["a.png", 200]'`);
  }
  if (!Array.isArray(value)) {
    throw new CliError(`the arguments must be a JSON array, got ${JSON.stringify(value)}: e.g. tasklane call ${task} '[${JSON.stringify(value)}]'`);
  }
  return value;
}

/** The task's options from the app, or undefined when no app can be loaded to check the name. */
async function checkTask(task: string, appPath: string | undefined): Promise<TaskOptions | undefined> {
  if (!appPath) return undefined;
  await loadApp(appPath);
  const definition = findTask(task);
  if (!definition) {
    const known = taskNames();
    throw new CliError(`unknown task "${task}": ${appPath} registers ${known.length ? known.join(', ') : 'no tasks'}`);
  }
  return definition.options;
}

/**
 * Why the task may never run: workers are live but none consumes its queue. Without --app or routes,
 * call cannot know a task's `queue` option and sends it to "default", where it would wait unseen.
 */
async function unservedQueue(broker: Broker, task: string, queue: string): Promise<string | undefined> {
  const workers = await broker.workers();
  if (!workers.length || workers.some((w) => w.queues.includes(queue))) return undefined;
  const runners = workers.filter((w) => w.registered.includes(task));
  const queues = [...new Set((runners.length ? runners : workers).flatMap((w) => w.queues))];
  return `warning: no live worker consumes queue "${queue}", where ${task} now waits (${runners.length ? `the workers that run ${task}` : 'the live workers'} consume ${queues.join(', ')}): `
    + `pass --app <tasks file> so call routes it by the task's queue option, or --queue <name>`;
}

export async function callCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('call', argv, {
    ...COMMON_OPTIONS,
    app: { type: 'string', short: 'A' },
    wait: { type: 'boolean', short: 'w' },
    timeout: { type: 'string', short: 't' },
    queue: { type: 'string', short: 'q' },
    countdown: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(CALL_HELP);
    return 0;
  }
  const [task, argsText, ...extra] = positionals;
  if (!task) throw new CliError(`which task? e.g. tasklane call images.resize '["a.png", 200]'`);
  if (extra.length) throw new CliError(`unexpected ${extra.map((e) => JSON.stringify(e)).join(' ')}: quote the JSON arguments as one word, e.g. '["a.png", 200]'`);
  const args = parseJsonArgs(task, argsText);
  const duration = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    try {
      return toMs(value);
    } catch (error) {
      throw new CliError(`--${flag}: ${(error as Error).message}`);
    }
  };
  const timeoutMs = duration('timeout', values.timeout);
  const countdownMs = duration('countdown', values.countdown);

  const workspace = resolveWorkspace(values);
  const options = (await checkTask(task, workspace.appPath)) ?? {};
  const broker = await connectBroker(workspace);
  try {
    const { message, result } = await sendTask(broker, task, args, {
      taskOptions: options,
      routes: workspace.config?.config.routes,
      apply: { queue: values.queue, ...(countdownMs !== undefined && { countdown: countdownMs }) },
    });
    process.stdout.write(`${result.id}\n`);
    const unserved = await unservedQueue(broker, task, message.queue);
    if (unserved) process.stderr.write(`tasklane call: ${unserved}\n`);
    if (!values.wait) return 0;
    try {
      const value = await result.get({ timeout: timeoutMs });
      process.stdout.write(`${JSON.stringify(value ?? null)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof TaskError) {
        process.stderr.write(`${error.message}\n${error.remote.stack ?? ''}\n`);
        return 1;
      }
      throw new CliError((error as Error).message);
    }
  } finally {
    await broker.close();
  }
}
