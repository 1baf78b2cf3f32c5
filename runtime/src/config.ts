// tasklane.config.json: finding it, validating it against the shipped JSON schema, and the broker
// precedence that depends on it. The language server and the extension import this module too, so
// it does nothing at import time: the validator is compiled on first use.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../schema/tasklane.config.schema.json' with { type: 'json' };
import type { Duration } from './duration.ts';
import type { PoolKind } from './protocol.ts';
import type { Routes } from './routing.ts';
import { ScheduleError, timetable, type ScheduleSpec } from './schedule.ts';
import type { AutoscaleOptions } from './worker/autoscale.ts';

import { DEFAULT_BROKER } from './broker/defaults.ts';

export const CONFIG_FILE = 'tasklane.config.json';

export interface WorkerConfig {
  pool: PoolKind;
  concurrency?: number;
  autoscale?: AutoscaleOptions;
  queues?: string[];
  prefetch?: number;
  maxTasksPerChild?: number;
  /** Megabytes. */
  maxMemoryPerChild?: number;
  maxDeliveries?: number;
  loglevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface TasklaneConfig {
  app?: string;
  broker?: string;
  routes?: Routes;
  resultTtl?: Duration;
  workers?: Record<string, WorkerConfig>;
  schedules?: Record<string, ScheduleConfig>;
}

/** A periodic task of the config: the task's name and a ScheduleSpec. */
export type ScheduleConfig = ScheduleSpec & { task: string };

export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  /** Its folder: relative paths in the config (app, file:// broker) are resolved against it. */
  dir: string;
  config: TasklaneConfig;
}

/** A config that cannot be used. `field` is the dotted path of the offending field ("" for the whole file). */
export class ConfigError extends Error {
  constructor(readonly source: string, readonly field: string, detail: string) {
    super(`${source}: ${field ? `${field} ` : ''}${detail}`);
    this.name = 'ConfigError';
  }
}

let validator: ValidateFunction | undefined;

// "/workers/cpu/pool" -> "workers.cpu.pool"; keys that are not plain words are quoted: routes["images.*"].
function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.map((part, i) => (/^[\w$-]+$/.test(part) ? `${i ? '.' : ''}${part}` : `[${JSON.stringify(part)}]`)).join('');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum': return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'additionalProperties': return `has an unknown field "${String(params.additionalProperty)}"`;
    case 'required': return `is missing the required field "${String(params.missingProperty)}"`;
    case 'type': return `must be ${String(params.type).replace(',', ' or ')}`;
    case 'pattern':
      return fieldOf(error) === 'broker'
        ? 'must be a broker URL starting with file://, redis://, rediss:// or memory://'
        : 'must be milliseconds or a duration such as "500ms", "30s", "5m", "1d"';
    default: return error.message ?? 'is invalid';
  }
}

/** Checks a parsed config against the schema; throws one ConfigError naming the first bad field. */
export function validateConfig(value: unknown, source = CONFIG_FILE): TasklaneConfig {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(schema);
  if (validator(value)) {
    checkSchedules(value as TasklaneConfig, source);
    return value as TasklaneConfig;
  }
  const error = validator.errors![0];
  const field = fieldOf(error);
  // A wrong type at the top level reads better as a sentence about the file.
  if (!field && error.keyword === 'type') throw new ConfigError(source, '', 'must be a JSON object');
  throw new ConfigError(source, field, describe(error));
}

/** What the schema cannot say about a schedule: a cron expression, a time zone, every or cron. */
function checkSchedules(config: TasklaneConfig, source: string): void {
  for (const [name, spec] of Object.entries(config.schedules ?? {})) {
    try {
      timetable(name, spec);
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      const key = /^[\w$-]+$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
      throw new ConfigError(source, `schedules${key}${error.field ? `.${error.field}` : ''}`, error.detail);
    }
  }
}

/** Parses and validates the text of a config file. */
export function parseConfig(text: string, source = CONFIG_FILE): TasklaneConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, '', `is not valid JSON (${(error as Error).message})`);
  }
  return validateConfig(value, source);
}

/** The nearest tasklane.config.json in `from` or a folder above it. */
export function findConfig(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Loads a config: `path` names the file (or a folder to search from); without it, the nearest
 * config above the current directory. Undefined when there is none and none was named.
 */
export function loadConfig(path?: string): LoadedConfig | undefined {
  const file = path && path.endsWith('.json') ? resolve(path) : findConfig(path);
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { path: file, dir: dirname(file), config: parseConfig(text, file) };
}

/**
 * Makes a relative embedded-broker URL (file://.tasklane) absolute against `baseDir`, so every
 * process of a workspace finds the same folder whatever its cwd. Other URLs are returned as is.
 */
export function absoluteBrokerUrl(url: string, baseDir: string): string {
  if (!url.startsWith('file://')) return url;
  const path = url.slice('file://'.length);
  if (path.startsWith('/')) return url;
  return pathToFileURL(isAbsolute(path) ? path : resolve(baseDir, path)).href;
}

/** Broker precedence: explicit (--broker, createApp) > TASKLANE_BROKER > config > embedded default. */
export function resolveBrokerUrl(choices: { explicit?: string; config?: LoadedConfig; cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = choices.env ?? process.env;
  const baseDir = choices.config?.dir ?? choices.cwd ?? process.cwd();
  const url = choices.explicit || env.TASKLANE_BROKER || choices.config?.config.broker || DEFAULT_BROKER;
  return absoluteBrokerUrl(url, baseDir);
}

/** The app module named by the config, as an absolute path. */
export function configAppPath(loaded: LoadedConfig): string | undefined {
  return loaded.config.app ? resolve(loaded.dir, loaded.config.app) : undefined;
}
