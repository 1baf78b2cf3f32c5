// Command-line parsing shared by the commands: node's parseArgs, with errors that say what to type.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line or in the workspace: printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Options every command that talks to a broker understands. The config file has no short flag:
 * `-c` is the worker's concurrency, as in Celery (`celery worker -P threads -c 4`).
 */
export const COMMON_OPTIONS = {
  broker: { type: 'string', short: 'b' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** What parseArgs returns for these options (named, so the declaration emit can name it). */
export type ParsedCommand<T extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

export function parseCommand<T extends OptionSpec>(command: string, argv: string[], options: T): ParsedCommand<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('. ')[0];
    if (message.startsWith("Unknown option '-c'")) {
      throw new CliError(`-c names no config file any more (it is the worker's concurrency, as in Celery): use --config <file> for \`tasklane ${command}\``);
    }
    throw new CliError(`${message} for \`tasklane ${command}\`: see \`tasklane ${command} --help\``);
  }
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a whole number >= 1, got "${value}"`);
  return n;
}

/** "a,b" or repeated flags → ["a", "b"]. */
export function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return items.length ? items : undefined;
}
