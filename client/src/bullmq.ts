// The pure half of running a BullMQ Worker's job from the editor: which Redis (the Worker's own
// literal connection, else the tasklane.bullmq.redisUrl setting), the job data as one JSON value,
// and the suggestions document that stands in for a tasklane.config.json in a BullMQ project.
// Free of `vscode` so it is unit-tested in Node.
import { relative } from 'node:path';
import { concurrencyNow, distinctEvidence, taskLabel, type RedisConnection, type TaskAnalysis } from '@tasklane/server/protocol';

/** What ioredis needs (BullMQ's `connection`), and the address to show: never the password. */
export interface RedisTarget {
  options: { host: string; port: number; db: number; username?: string; password?: string; tls?: Record<string, never> };
  display: string;
  /** Where the address came from, for messages. */
  from: string;
  /** A password is needed and not given yet. */
  needsPassword: boolean;
}

export type RedisChoice = RedisTarget | { missing: string };

/**
 * The Worker's literal connection when the analysis read it, else the setting's URL; `missing`
 * says why neither applies (the caller asks for the URL once, then stores it in the setting).
 */
export function redisTarget(task: TaskAnalysis, settingUrl: string, password: string | undefined): RedisChoice {
  const bull = task.bullmq;
  if (bull?.connection) return fromConnection(bull.connection, password, `the Worker's connection (${task.file}:${task.line})`);
  if (!settingUrl) {
    return { missing: bull?.connectionUnread ? `the Worker's connection cannot be read: ${bull.connectionUnread}` : 'the Worker sets no connection the analysis can read' };
  }
  if (!URL.canParse(settingUrl) || !/^rediss?:$/.test(new URL(settingUrl).protocol)) {
    throw new Error(`tasklane.bullmq.redisUrl is not a Redis URL: write it as redis://host:port/db (got "${settingUrl.replace(/\/\/[^@/]*@/, '//…@')}")`);
  }
  // A Redis without a password is common: the setting's URL uses one only when one was stored.
  return fromConnection({ url: settingUrl }, password, 'the tasklane.bullmq.redisUrl setting');
}

function fromConnection(connection: RedisConnection, password: string | undefined, from: string): RedisTarget {
  const url = connection.url ? new URL(connection.url) : undefined;
  const host = connection.host ?? (url?.hostname || '127.0.0.1');
  const port = connection.port ?? (url?.port ? Number(url.port) : 6379);
  const db = connection.db ?? (url && url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0);
  const username = connection.username ?? (url?.username ? decodeURIComponent(url.username) : undefined);
  const tls = connection.tls || url?.protocol === 'rediss:';
  return {
    options: { host, port, db, ...(username && { username }), ...(password && { password }), ...(tls && { tls: {} }) },
    display: `${tls ? 'rediss' : 'redis'}://${host}:${port}/${db}`,
    from,
    needsPassword: connection.password === true && password === undefined,
  };
}

export type ParsedJobData = { ok: true; data: unknown } | { ok: false; error: string };

/** A BullMQ processor takes one job: its data is one JSON value (an object, usually). */
export function parseJobData(text: string): ParsedJobData {
  const source = text.trim();
  if (source === '') return { ok: false, error: 'Write the job\'s data as one JSON value, e.g. {"id": 42}; {} for none.' };
  try {
    return { ok: true, data: JSON.parse(source) };
  } catch (error) {
    return { ok: false, error: `Not valid JSON (${(error as Error).message}). Write the job's data as one JSON value, e.g. {"id": 42}: keys and strings in double quotes, no trailing commas.` };
  }
}

/**
 * The suggestions of a BullMQ project as Markdown the user can act on: per Worker, what the code
 * sets today, the suggested concurrency, inline or sandboxed, and why.
 */
export function suggestionsDocument(tasks: TaskAnalysis[], root: string): string {
  const workers = tasks.filter((t) => t.framework !== 'tasklane');
  if (!workers.length) throw new Error('the analysis found no BullMQ, Bull or NestJS worker in this folder: nothing to suggest');
  const lines = [
    '# Queue workers (BullMQ, Bull, NestJS): suggestions from Tasklane',
    '',
    'BullMQ runs each processor inline on the Worker\'s event loop (waits overlap: concurrency in the hundreds),',
    'or sandboxed in a child process or worker thread (CPU work on its own core: concurrency ≈ cores).',
    '',
  ];
  for (const task of workers) {
    const bull = task.bullmq;
    const today = `${bull?.sandboxed ? (bull.useWorkerThreads ? 'sandboxed (worker threads)' : 'sandboxed (child processes)') : 'inline'}, ${concurrencyNow(task) ?? 'BullMQ default 1'}`;
    const suggested = task.pool === 'async' ? `inline, concurrency ${task.concurrency}`
      : task.pool === 'prefork' ? `sandboxed processor file, concurrency ${task.concurrency}`
        : `sandboxed processor file with \`useWorkerThreads: true\`, concurrency ${task.concurrency}`;
    lines.push(
      `## ${taskLabel(task)} — queue \`${task.name}\``,
      '',
      `- file: ${relative(root, task.file) || task.file}:${task.line}`,
      `- today: ${today}`,
      `- suggested: **${suggested}**`,
      `- why: ${task.summary.replace(/^suggest: .*? — /, '').replace(/ · now .*$/, '')}${task.blocking ? ' (it blocks the event loop while it runs)' : ''}`,
    );
    for (const fact of distinctEvidence(task.evidence).slice(0, 3)) lines.push(`  - ${fact.message}`);
    for (const problem of task.problems) lines.push(`- to fix: ${problem.message}`);
    lines.push('');
  }
  return lines.join('\n');
}
