// The worker's log: one line per event, in a stable format that the extension's TextMate grammar
// (syntaxes/) colours and that tests read. Keep it stable; change the grammar with it.
//
//   [2026-11-24 16:40:01.123] INFO  [worker cpu] task images.resize[6f1c2a] succeeded in 102ms (cpu 98%)
//   [2026-11-24 16:40:01.125] WARN  [worker io] task http.fetch[81b0de] retried in 2.0s (attempt 2/4): Error: ECONNRESET
//   [2026-11-24 16:40:01.130] ERROR [worker io] task http.fetch[81b0de] failed in 31ms: TypeError: x is undefined
//   [2026-11-24 16:40:01.131] WARN  [worker io] task ?[4c11aa] dead-lettered: unknown task "nope"
//   [2026-11-24 16:40:00.001] INFO  [worker cpu] online: pool threads x 2, queues cpu, broker file:///ws/.tasklane
//
// - timestamp: UTC, `YYYY-MM-DD HH:MM:SS.mmm`, in brackets;
// - level: DEBUG, INFO, WARN or ERROR, padded to 5 characters, then one space;
// - scope in brackets: `worker <name>` for a worker, `cli` for the command line;
// - task lines: `task <name>[<first 6 characters of the id>] <state>` where state is one of
//   received, started, succeeded, failed, retried, dead-lettered, revoked; then details.
// `tasklane up` prefixes each worker's lines with `<worker name> | `.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export type TaskLogState = 'received' | 'started' | 'succeeded' | 'failed' | 'retried' | 'dead-lettered' | 'revoked' | 'dropped';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatTimestamp(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

export function formatLine(level: LogLevel, scope: string, message: string, date = new Date()): string {
  return `[${formatTimestamp(date)}] ${level.toUpperCase().padEnd(5)} [${scope}] ${message}`;
}

/** "102ms", "2.0s", "3.5m": short and readable in a log line. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)}m`;
}

/** `task images.resize[6f1c2a] succeeded`, plus detail: "in 102ms …", or ": reason" right after the state. */
export function taskMessage(state: TaskLogState, task: string, id: string, detail?: string): string {
  const rest = !detail ? '' : detail.startsWith(':') ? detail : ` ${detail}`;
  return `task ${task}[${id.slice(0, 6)}] ${state}${rest}`;
}

export class Logger {
  private readonly threshold: number;

  constructor(
    readonly scope: string,
    level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.threshold;
  }

  log(level: LogLevel, message: string): void {
    if (this.enabled(level)) this.write(formatLine(level, this.scope, message));
  }

  debug(message: string): void { this.log('debug', message); }
  info(message: string): void { this.log('info', message); }
  warn(message: string): void { this.log('warn', message); }
  error(message: string): void { this.log('error', message); }

  /** A task line; the detail is built only when the level is printed (workers log per task). */
  task(level: LogLevel, state: TaskLogState, task: string, id: string, detail?: () => string): void {
    if (this.enabled(level)) this.write(formatLine(level, this.scope, taskMessage(state, task, id, detail?.())));
  }
}

export function parseLogLevel(value: string): LogLevel {
  const level = value.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new Error(`invalid log level "${value}": use one of ${LOG_LEVELS.join(', ')}`);
}
