// `tasklane beat`: the scheduler of periodic tasks on its own (also inside `tasklane worker -B` and
// `tasklane up`). `--list` prints the schedules with their last and next fire times.
import type { Broker } from '../broker/broker.ts';
import { Beat, checkScheduleTasks } from '../beat.ts';
import { loadApp } from '../loader.ts';
import { Logger, parseLogLevel, type LogLevel } from '../logger.ts';
import { registeredSchedules, timetable, type ScheduleDefinition } from '../schedule.ts';
import { COMMON_OPTIONS, CliError, parseCommand } from './options.ts';
import { connectBroker, resolveWorkspace, type Workspace } from './workspace.ts';

export const BEAT_HELP = `Usage: tasklane beat [options]

Sends periodic tasks: the schedules of app.schedule(...) in the app module and of "schedules" in
tasklane.config.json. Run as many as you like: each tick is sent once (a compare-and-set on the
broker). Ticks missed while none ran: catchUp "one" (default) sends the latest once and logs the
skipped ones, "all" sends each.

Options:
      --list                print the schedules with their last and next fire times, then exit
      --json                with --list: as JSON
  -A, --app <file>          module that registers the tasks and schedules (default: config "app")
  -l, --loglevel <level>    debug | info | warn | error (default info)
  -b, --broker <url>        broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
      --config <file>       tasklane.config.json (default: the nearest above the cwd)
`;

/** The schedules of the workspace: the app module's (loaded here) and the config's; each checked against the app's tasks. */
export async function workspaceSchedules(workspace: Workspace): Promise<ScheduleDefinition[]> {
  if (!workspace.appPath) throw new CliError('no app module: pass --app src/tasks.ts or set "app" in tasklane.config.json (schedules name its tasks)');
  await loadApp(workspace.appPath);
  const fromConfig = Object.entries(workspace.config?.config.schedules ?? {})
    .map(([name, spec]) => ({ ...spec, name, source: workspace.config!.path }));
  const schedules = [...registeredSchedules(), ...fromConfig];
  try {
    checkScheduleTasks(schedules);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return schedules;
}

/** Starts a scheduler over the workspace's schedules; undefined (and a log line) when there are none. */
export async function startBeat(workspace: Workspace, broker: Broker, logger: Logger): Promise<Beat | undefined> {
  const schedules = await workspaceSchedules(workspace);
  if (!schedules.length) {
    logger.info('beat: no schedules (app.schedule(...) or "schedules" in tasklane.config.json): nothing to send');
    return undefined;
  }
  const beat = new Beat({ broker, schedules, logger, routes: workspace.config?.config.routes });
  beat.start();
  return beat;
}

async function list(schedules: ScheduleDefinition[], broker: Broker, json: boolean): Promise<void> {
  const now = Date.now();
  const rows = await Promise.all(schedules.map(async (s) => {
    const t = timetable(s.name, s);
    const last = await broker.lastTick(s.name);
    const next = t.next(Math.max(now, last ?? now));
    return { name: s.name, task: s.task, when: t.description, queue: s.queue ?? null, source: s.source,
      lastTick: last === undefined ? null : new Date(last).toISOString(), next: next === undefined ? null : new Date(next).toISOString() };
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ schedules: rows })}\n`);
    return;
  }
  if (!rows.length) process.stdout.write('no schedules\n');
  for (const r of rows) {
    process.stdout.write(`${r.name}: ${r.task} ${r.when}${r.queue ? ` on ${r.queue}` : ''}, next ${r.next ?? 'never'}, last ${r.lastTick ?? 'never'}\n`);
  }
}

export async function beatCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('beat', argv, {
    ...COMMON_OPTIONS,
    app: { type: 'string', short: 'A' },
    loglevel: { type: 'string', short: 'l' },
    list: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(BEAT_HELP);
    return 0;
  }
  if (positionals.length) throw new CliError(`tasklane beat takes no arguments, got ${positionals.join(' ')}`);
  let logLevel: LogLevel;
  try {
    logLevel = parseLogLevel(values.loglevel ?? 'info');
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const workspace = resolveWorkspace(values);
  const broker = await connectBroker(workspace);
  try {
    if (values.list) {
      await list(await workspaceSchedules(workspace), broker, values.json ?? false);
      return 0;
    }
    const logger = new Logger('beat', logLevel);
    const beat = await startBeat(workspace, broker, logger);
    if (!beat) return 0;
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        logger.info(`${signal}: stopping`);
        resolve();
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    });
    await beat.stop();
    return 0;
  } finally {
    await broker.close();
  }
}
