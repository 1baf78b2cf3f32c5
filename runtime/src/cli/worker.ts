// `tasklane worker [name]`: one worker, from the config's `workers.<name>` and/or flags (flags win).
// SIGTERM/SIGINT: warm shutdown (exit 0); a second signal: cold shutdown (exit 1).
import { Logger, parseLogLevel, type LogLevel } from '../logger.ts';
import type { PoolKind } from '../protocol.ts';
import type { Beat } from '../beat.ts';
import { startWorker, type WorkerHandle } from '../worker/start.ts';
import { parseAutoscaleFlag, type AutoscaleOptions } from '../worker/autoscale.ts';
import { startBeat } from './beat.ts';
import { defaultWorkerName } from '../worker/worker.ts';
import { COMMON_OPTIONS, CliError, list, parseCommand, positiveInt } from './options.ts';
import { connectBroker, knownQueues, resolveWorkspace } from './workspace.ts';

export const WORKER_HELP = `Usage: tasklane worker [name] [options]

Runs a worker: the one named in tasklane.config.json's "workers", adjusted by the flags, or an ad hoc
one from the flags alone. The short flags are Celery's: tasklane worker -A src/tasks.ts -P threads -c 4.

Options:
  -A, --app <file>                 module that registers the tasks (default: config "app")
  -P, --pool <pool>                prefork | threads | solo | async (gevent, eventlet mean async)
  -c, --concurrency <n>            tasks at once (default: cores; async 100; solo 1)
      --autoscale <max,min>        grow the pool toward max while tasks wait, shrink to min when idle
                                   (Celery's order: max first; min default 1; not solo)
  -Q, --queues <a,b>               queues to consume, in order of preference (default: default)
  -X, --exclude-queues <a,b>       queues not to consume (of -Q, else of every queue the config names)
  -b, --broker <url>               file://.tasklane (default), redis://host:6379/0, memory://
  -l, --loglevel <level>           debug | info | warn | error (default info)
      --max-tasks-per-child <n>    replace a child/thread after n tasks (prefork, threads)
      --max-memory-per-child <mb>  replace a child/thread above this many MB (prefork, threads)
      --prefetch <n>               messages reserved beyond the free slots (default 1; async: its concurrency)
  -n, --name <name>                worker name shown by inspect and in the logs
  -E, --task-events                send task events even while nobody subscribes to them
  -B, --beat                       also run the scheduler of periodic tasks (as tasklane beat)
      --config <file>              tasklane.config.json (default: the nearest above the cwd; -c is the concurrency)
`;

/** -c is Celery's concurrency; a config file or a path given to it was meant for --config. */
function concurrencyFlag(value: string | undefined): number | undefined {
  if (value !== undefined && /\.json$|[\\/]/.test(value)) {
    throw new CliError(`-c is the concurrency (as in Celery), got "${value}": use --config ${value} for a config file`);
  }
  return positiveInt(value, '-c/--concurrency');
}

export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('worker', argv, {
    ...COMMON_OPTIONS,
    app: { type: 'string', short: 'A' },
    pool: { type: 'string', short: 'P' },
    concurrency: { type: 'string', short: 'c' },
    autoscale: { type: 'string' },
    queues: { type: 'string', short: 'Q', multiple: true },
    'exclude-queues': { type: 'string', short: 'X', multiple: true },
    'task-events': { type: 'boolean', short: 'E' },
    beat: { type: 'boolean', short: 'B' },
    loglevel: { type: 'string', short: 'l' },
    'max-tasks-per-child': { type: 'string' },
    'max-memory-per-child': { type: 'string' },
    prefetch: { type: 'string' },
    name: { type: 'string', short: 'n' },
  });
  if (values.help) {
    process.stdout.write(WORKER_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new CliError(`tasklane worker takes at most one worker name, got ${positionals.join(' ')}`);
  const concurrency = concurrencyFlag(values.concurrency);
  if (concurrency !== undefined && values.autoscale !== undefined) throw new CliError('pass -c or --autoscale, not both: an autoscaling pool starts at min and moves between min and max');
  const workspace = resolveWorkspace(values);
  const configName = positionals[0];
  const workers = workspace.config?.config.workers ?? {};
  if (configName && !Object.hasOwn(workers, configName)) {
    const where = workspace.config ? workspace.config.path : 'tasklane.config.json (none found)';
    const known = Object.keys(workers);
    throw new CliError(`no worker "${configName}" in ${where}${known.length ? `: known workers are ${known.join(', ')}` : ''}`);
  }
  const defined = configName ? workers[configName] : undefined;
  if (!workspace.appPath) throw new CliError('no app module: pass --app src/tasks.ts or set "app" in tasklane.config.json');
  let logLevel: LogLevel;
  try {
    logLevel = parseLogLevel(values.loglevel ?? defined?.loglevel ?? 'info');
  } catch (error) {
    throw new CliError((error as Error).message);
  }

  const prefetchFlag = values.prefetch === undefined ? undefined : Number(values.prefetch);
  if (prefetchFlag !== undefined && !(Number.isInteger(prefetchFlag) && prefetchFlag >= 0)) {
    throw new CliError(`--prefetch must be a whole number >= 0, got "${values.prefetch}"`);
  }

  // The flag's max,min over the config's (its keepalive stays); either one replaces a concurrency.
  if (defined?.autoscale && defined.concurrency !== undefined) {
    throw new CliError(`${workspace.config!.path}: workers.${configName} has both concurrency and autoscale: keep one (an autoscaling pool starts at autoscale.min)`);
  }
  let autoscale: AutoscaleOptions | undefined = defined?.autoscale;
  if (values.autoscale !== undefined) {
    try {
      autoscale = { ...defined?.autoscale, ...parseAutoscaleFlag(values.autoscale) };
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }

  const excluded = list(values['exclude-queues']);
  const name = values.name ?? configName ?? defaultWorkerName();
  const logger = new Logger(`worker ${name}`, logLevel);
  // Listening from the start: a signal while the pool starts stops the worker once it is up.
  let worker: WorkerHandle | undefined;
  let beat: Beat | undefined;
  let signals = 0;
  const stop = () => {
    void beat?.stop();
    void worker?.stop({ graceful: signals === 1 });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) logger.info(`${signal}: warm shutdown, finishing running tasks (send ${signal} again for a cold shutdown)`);
    else logger.warn(`${signal}: cold shutdown`);
    stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const broker = await connectBroker(workspace);
  try {
    worker = await startWorker({
      broker,
      // Any string: startWorker checks it and names the pools.
      pool: (values.pool ?? defined?.pool ?? 'prefork') as PoolKind,
      name,
      app: workspace.appPath,
      concurrency: concurrency ?? (autoscale ? undefined : defined?.concurrency),
      autoscale: concurrency === undefined ? autoscale : undefined,
      queues: list(values.queues) ?? defined?.queues ?? (excluded && knownQueues(workspace.config)),
      excludeQueues: excluded,
      taskEvents: values['task-events'],
      prefetch: prefetchFlag ?? defined?.prefetch,
      maxTasksPerChild: positiveInt(values['max-tasks-per-child'], '--max-tasks-per-child') ?? defined?.maxTasksPerChild,
      maxMemoryPerChild: positiveInt(values['max-memory-per-child'], '--max-memory-per-child') ?? defined?.maxMemoryPerChild,
      maxDeliveries: defined?.maxDeliveries,
      resultTtl: workspace.config?.config.resultTtl,
      logLevel,
    });
  } catch (error) {
    await broker.close().catch(() => {});
    throw new CliError((error as Error).message);
  }
  if (values.beat) {
    try {
      beat = await startBeat(workspace, broker, new Logger(`beat ${name}`, logLevel));
    } catch (error) {
      await worker.stop({ graceful: false });
      await broker.close().catch(() => {});
      throw error;
    }
  }
  if (signals) stop();
  await worker.finished();
  // Stopped otherwise (tasklane control shutdown): the scheduler goes with it.
  await beat?.stop();
  // The broker is this command's (the worker closes only the brokers it connected itself).
  await broker.close();
  return signals > 1 ? 1 : 0;
}
