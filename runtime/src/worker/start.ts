// startWorker(): a worker inside the caller's own process (an Express or NestJS app, a script), as
// BullMQ's `new Worker(...)` or Celery's `app.Worker`. `tasklane worker` runs through this too, so
// the command line and the code take the same options and check them the same way.
import type { Broker } from '../broker/broker.ts';
import { createBroker } from '../broker/index.ts';
import { loadConfig, resolveBrokerUrl } from '../config.ts';
import { toMs, type Duration } from '../duration.ts';
import { Logger, type LogLevel } from '../logger.ts';
import { parsePoolKind } from '../pool/index.ts';
import type { PoolKind, WorkerInfo } from '../protocol.ts';
import { autoscaleRange, type AutoscaleOptions } from './autoscale.ts';
import { createWorker, defaultWorkerName } from './worker.ts';

export interface StartWorkerOptions {
  /**
   * prefork | threads | solo | async (`gevent`, `eventlet` mean async). Default prefork, as the
   * CLI's. prefork and threads load `app` in each child or thread; solo and async run the tasks
   * registered in this process, so `app` is optional for them.
   */
  pool?: PoolKind | 'gevent' | 'eventlet';
  /** The module that registers the tasks (absolute, or relative to the current folder). */
  app?: string;
  /** Tasks at once. Default: cores for prefork/threads, 100 for async, 1 for solo. */
  concurrency?: number;
  /**
   * Celery's --autoscale: the pool starts at `min` (default 1), grows toward `max` while tasks wait
   * for a slot and shrinks back after `keepalive` (default 30s) of under-use. prefork, threads and
   * async (its concurrency limit); not solo. Instead of `concurrency`.
   */
  autoscale?: AutoscaleOptions;
  /** Queues to consume, in order of preference (default ["default"]). */
  queues?: string[];
  /** Queues left out of `queues` (Celery's -X). */
  excludeQueues?: string[];
  /** Messages reserved beyond the free slots (default 1; async: its concurrency). */
  prefetch?: number;
  /** A URL or a broker. Default: TASKLANE_BROKER, else the config's, else file://.tasklane. A broker given here is not closed by stop(). */
  broker?: string | Broker;
  /** Shown by `tasklane inspect` and in the logs (default pid@hostname). */
  name?: string;
  logLevel?: LogLevel;
  /** Where log lines go (default stdout). */
  log?: (line: string) => void;
  maxTasksPerChild?: number;
  /** Megabytes. */
  maxMemoryPerChild?: number;
  /** A message delivered more often than this is dead-lettered (default 5). */
  maxDeliveries?: number;
  /** How long results are kept (default 1 day). */
  resultTtl?: Duration;
  /** Send task events even while nobody subscribes to them (Celery's -E). */
  taskEvents?: boolean;
}

/** What a running worker reports: its `tasklane inspect stats` line. */
export type WorkerStats = WorkerInfo;

export interface WorkerHandle {
  readonly name: string;
  /** Warm by default (finish running tasks, give back reserved ones); `graceful: false` kills them, they run again later. */
  stop(options?: { graceful?: boolean }): Promise<void>;
  stats(): WorkerStats;
  /** Resolves once the worker has stopped, whoever stopped it (stop(), `tasklane control shutdown`). */
  finished(): Promise<void>;
}

/** A wrong option: the message says what to pass instead. */
export class WorkerOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerOptionsError';
  }
}

function positive(field: string, value: number | undefined, min = 1): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new WorkerOptionsError(`${field} must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
}

function consumedQueues(options: StartWorkerOptions): string[] | undefined {
  const { queues, excludeQueues } = options;
  if (!excludeQueues?.length) return queues;
  const from = queues?.length ? queues : ['default'];
  const left = from.filter((q) => !excludeQueues.includes(q));
  if (!left.length) throw new WorkerOptionsError(`excluding ${excludeQueues.join(', ')} leaves no queue to consume (of ${from.join(', ')}): name the queues to consume too`);
  return left;
}

async function connect(broker: string | Broker | undefined): Promise<{ broker: Broker; owned: boolean }> {
  if (typeof broker === 'object') return { broker, owned: false };
  const url = resolveBrokerUrl({ explicit: broker, config: loadConfig(process.env.TASKLANE_CONFIG || undefined) });
  const created = createBroker(url);
  try {
    await created.connect();
  } catch (error) {
    const message = (error as Error).message;
    throw new WorkerOptionsError(message.includes(created.displayUrl) ? message : `cannot reach the broker at ${created.displayUrl}: ${message}`);
  }
  return { broker: created, owned: true };
}

/** Starts a worker in this process; resolves once it is online (pool started, fetching). */
export async function startWorker(options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const name = options.name ?? defaultWorkerName();
  const logger = new Logger(`worker ${name}`, options.logLevel ?? 'info', options.log);
  let pool: PoolKind;
  try {
    pool = parsePoolKind(options.pool ?? 'prefork', logger);
  } catch (error) {
    throw new WorkerOptionsError((error as Error).message);
  }
  if ((pool === 'prefork' || pool === 'threads') && !options.app) {
    throw new WorkerOptionsError(`the ${pool} pool loads the tasks in each ${pool === 'prefork' ? 'child process' : 'thread'}: pass app: 'src/tasks.ts' (the module that registers them), or use pool 'async' or 'solo' to run the tasks registered in this process`);
  }
  positive('concurrency', options.concurrency);
  if (options.autoscale && options.concurrency !== undefined) {
    throw new WorkerOptionsError(`pass concurrency or autoscale, not both: an autoscaling pool starts at autoscale.min and moves between min and max (got concurrency ${options.concurrency})`);
  }
  let autoscale;
  try {
    autoscale = options.autoscale && autoscaleRange(pool, options.autoscale);
  } catch (error) {
    throw new WorkerOptionsError((error as Error).message);
  }
  positive('prefetch', options.prefetch, 0);
  positive('maxTasksPerChild', options.maxTasksPerChild);
  positive('maxDeliveries', options.maxDeliveries);
  const queues = consumedQueues(options);
  const resultTtlMs = options.resultTtl === undefined ? undefined : toMs(options.resultTtl);

  const { broker, owned } = await connect(options.broker);
  const worker = createWorker({
    broker,
    ownsBroker: owned,
    pool,
    name,
    app: options.app,
    concurrency: options.concurrency,
    autoscale,
    queues,
    prefetch: options.prefetch,
    maxTasksPerChild: options.maxTasksPerChild,
    maxMemoryPerChild: options.maxMemoryPerChild,
    maxDeliveries: options.maxDeliveries,
    resultTtlMs,
    taskEvents: options.taskEvents,
    logger,
  });
  try {
    await worker.start();
  } catch (error) {
    if (owned) await broker.close().catch(() => {});
    throw error;
  }
  return {
    name,
    stop: ({ graceful = true } = {}) => worker.stop({ graceful }),
    stats: () => worker.info(),
    finished: () => worker.finished(),
  };
}
