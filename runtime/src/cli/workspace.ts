// What a command works on: the config (--config, else the nearest tasklane.config.json), the broker
// (--broker > TASKLANE_BROKER > config > embedded) and the app module (--app > config "app").
import { dirname, resolve } from 'node:path';
import type { Broker } from '../broker/broker.ts';
import { createBroker } from '../broker/index.ts';
import { configAppPath, loadConfig, resolveBrokerUrl, type LoadedConfig } from '../config.ts';
import { CliError } from './options.ts';
import { DEFAULT_QUEUE } from '../routing.ts';

export interface Workspace {
  config: LoadedConfig | undefined;
  brokerUrl: string;
  /** Absolute path of the app module, when one is named. */
  appPath: string | undefined;
}

export function resolveWorkspace(flags: { config?: string; broker?: string; app?: string }): Workspace {
  // Without --config: the nearest above the cwd, else the nearest above the --app module.
  const config = loadConfig(flags.config) ?? (flags.app && !flags.config ? loadConfig(dirname(resolve(flags.app))) : undefined);
  if (flags.config && !config) throw new CliError(`no tasklane.config.json at or above ${resolve(flags.config)}`);
  const appPath = flags.app ? resolve(flags.app) : config && configAppPath(config);
  return { config, brokerUrl: resolveBrokerUrl({ explicit: flags.broker, config }), appPath };
}

/**
 * The broker, connected, or one clear error naming the URL (without its password). The app
 * module and pool children of this process send through the same broker and config.
 */
export async function connectBroker(workspace: Workspace): Promise<Broker> {
  process.env.TASKLANE_BROKER = workspace.brokerUrl;
  if (workspace.config) process.env.TASKLANE_CONFIG = workspace.config.path;
  let broker: Broker;
  try {
    broker = createBroker(workspace.brokerUrl);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  try {
    await broker.connect();
  } catch (error) {
    const message = (error as Error).message;
    // Brokers usually name their URL already; say it once.
    throw new CliError(message.includes(broker.displayUrl) ? message : `cannot reach the broker at ${broker.displayUrl}: ${message}`);
  }
  return broker;
}

/** Every queue the workspace mentions: its workers', its routes', and "default". */
export function knownQueues(config: LoadedConfig | undefined): string[] {
  const queues = new Set([DEFAULT_QUEUE]);
  for (const worker of Object.values(config?.config.workers ?? {})) for (const q of worker.queues ?? []) queues.add(q);
  for (const q of Object.values(config?.config.routes ?? {})) queues.add(q);
  return [...queues];
}
