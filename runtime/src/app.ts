// createApp(): the producer side of Tasklane. Cheap to create (task modules are loaded in every
// pool's children and threads): the config is read and the broker connected on first use.
import type { Broker } from './broker/broker.ts';
import { createBroker } from './broker/index.ts';
import { loadConfig, resolveBrokerUrl, type LoadedConfig } from './config.ts';
import { registerTask, type Handler, type TaskOptions } from './registry.ts';
import { routeTask, type Routes } from './routing.ts';
import { registerSchedule, type ScheduleDefinition, type ScheduleSpec } from './schedule.ts';
import { checkTaskOptions, createTask, type Task } from './task.ts';

/** app.schedule's options: the task (a task of the app, or a task name) and when to send it with which arguments. */
export type ScheduleOptions<H extends Handler> = Omit<ScheduleSpec, 'args'> & {
  task: Task<H> | string;
  args?: Parameters<H>;
};

export interface AppOptions {
  name: string;
  /** A broker URL or instance. Precedence: this > TASKLANE_BROKER > config `broker` > file://.tasklane. */
  broker?: string | Broker;
  /** Task name or glob → queue; replaces the config's routes. */
  routes?: Routes;
  /** tasklane.config.json (or a folder to search from). Default: TASKLANE_CONFIG, else the nearest above the cwd. */
  configPath?: string;
}

export interface App {
  readonly name: string;
  task<H extends Handler>(name: string, handler: H, options?: TaskOptions): Task<H>;
  /**
   * A periodic task: sends the task on each tick of `every` or `cron` (in `timezone`). Run by
   * `tasklane beat`, `tasklane worker -B` or `tasklane up`; each tick is sent once however many run.
   */
  schedule<H extends Handler>(name: string, options: ScheduleOptions<H>): ScheduleDefinition;
  /** The broker URL this app sends to (password removed only by broker.displayUrl). */
  brokerUrl(): string;
  /** The connected broker, created on first use. */
  broker(): Promise<Broker>;
  /** The queue a task is sent to: applyAsync's > the task's option > routes > "default". */
  queueFor(task: string, taskQueue?: string, applyQueue?: string): string;
  /** The config the app found, if any. */
  config(): LoadedConfig | undefined;
  /** Closes the broker connection (a producer script calls this before it ends). */
  close(): Promise<void>;
}

export function createApp(options: AppOptions): App {
  if (!options || typeof options.name !== 'string' || !options.name) {
    throw new TypeError('createApp needs a name: createApp({ name: "shop" })');
  }
  let loaded: { config: LoadedConfig | undefined } | undefined;
  let connecting: Promise<Broker> | undefined;

  const config = (): LoadedConfig | undefined =>
    (loaded ??= { config: loadConfig(options.configPath ?? process.env.TASKLANE_CONFIG) }).config;

  const brokerUrl = (): string => typeof options.broker === 'object'
    ? options.broker.displayUrl
    : resolveBrokerUrl({ explicit: options.broker, config: config() });

  const app: App = {
    name: options.name,
    task(name, handler, taskOptions = {}) {
      if (typeof name !== 'string' || !name) throw new TypeError('app.task needs a task name: app.task("images.resize", handler)');
      if (typeof handler !== 'function') throw new TypeError(`app.task("${name}", handler): the handler must be a function`);
      checkTaskOptions(name, taskOptions);
      registerTask({ name, handler, options: taskOptions, app: options.name });
      return createTask<typeof handler>(name, taskOptions, app);
    },
    schedule(name, scheduleOptions) {
      if (typeof name !== 'string' || !name) throw new TypeError('app.schedule needs a schedule name: app.schedule("nightly-report", { cron: "0 3 * * *", task })');
      const { task, ...spec } = scheduleOptions ?? {};
      const taskName = typeof task === 'string' ? task : task?.name;
      if (!taskName) throw new TypeError(`app.schedule("${name}"): task must be a task of the app or a task name`);
      const definition: ScheduleDefinition = { name, task: taskName, ...spec, source: 'app.schedule' };
      registerSchedule(definition);
      return definition;
    },
    brokerUrl,
    broker() {
      connecting ??= (async () => {
        const broker = typeof options.broker === 'object' ? options.broker : createBroker(brokerUrl());
        await broker.connect();
        return broker;
      })();
      // A failed connection is not cached: the next call tries again.
      connecting.catch(() => { connecting = undefined; });
      return connecting;
    },
    queueFor(task, taskQueue, applyQueue) {
      return routeTask(task, { applyQueue, taskQueue, routes: options.routes ?? config()?.config.routes });
    },
    config,
    async close() {
      const pending = connecting;
      connecting = undefined;
      if (pending) await (await pending).close();
    },
  };
  return app;
}
