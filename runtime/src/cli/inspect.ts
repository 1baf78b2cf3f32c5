// `tasklane inspect active|stats|registered`: what the live workers report in their heartbeats;
// `tasklane inspect measured`: the CPU share each task's recorded runs measured (kept on the broker).
import { formatMs } from '../logger.ts';
import { summarizeRuns, type MeasuredSummary } from '../measured.ts';
import type { PoolStats, WorkerInfo } from '../protocol.ts';
import { COMMON_OPTIONS, CliError, parseCommand } from './options.ts';
import { connectBroker, resolveWorkspace } from './workspace.ts';

export const INSPECT_HELP = `Usage: tasklane inspect active|stats|registered|measured [options]

  active       tasks running on each live worker
  stats        pool, concurrency (and autoscale range), queues, processed and failed counts of each live worker;
               what its pool holds (child pids, thread ids, replacements)
  registered   the tasks each live worker knows
  measured     per task, the CPU share and median time of its recent runs (by every worker,
               live or not)

Options:
      --json            print the workers' reports as JSON
  -b, --broker <url>    broker URL (default: TASKLANE_BROKER, config, file://.tasklane)
      --config <file>   tasklane.config.json (default: the nearest above the cwd)
`;

const VIEWS = ['active', 'stats', 'registered', 'measured'] as const;
type View = (typeof VIEWS)[number];
type WorkerView = Exclude<View, 'measured'>;

/** "images.resize: 93% CPU over 41 runs, median 120ms" */
export function measuredLine(summary: MeasuredSummary): string {
  return `${summary.task}: ${Math.round(summary.cpuShare * 100)}% CPU over ${summary.runs} run${summary.runs === 1 ? '' : 's'}, median ${formatMs(summary.medianWallMs)}`;
}

function render(view: WorkerView, worker: WorkerInfo, now: number): string[] {
  switch (view) {
    case 'active':
      return [`${worker.name}: ${worker.active.length} active`,
        ...worker.active.map((a) => `  ${a.task}[${a.id}] running for ${formatMs(now - a.startedAt)}`)];
    case 'stats':
      return [`${worker.name}: pool ${worker.pool} x ${worker.concurrency}${worker.autoscale ? ` (autoscale ${worker.autoscale.min}-${worker.autoscale.max})` : ''}, queues ${worker.queues.join(', ')}, `
        + `processed ${worker.processed}, failed ${worker.failed}, pid ${worker.pid} on ${worker.hostname}, up ${formatMs(now - worker.startedAt)}`,
      ...poolLine(worker.poolStats)];
    case 'registered':
      return [`${worker.name}:`, ...worker.registered.map((name) => `  ${name}`)];
  }
}

/** What the pool holds, as Celery's `inspect stats` shows it: children's pids, thread ids, replacements. */
function poolLine(stats: PoolStats | undefined): string[] {
  if (!stats) return [];
  const parts = [`size ${stats.size}`];
  if (stats.processes) parts.push(`processes ${stats.processes.join(' ')}`);
  if (stats.threads) parts.push(`threads ${stats.threads.join(' ')}`);
  if (stats.recycled !== undefined) parts.push(`recycled ${stats.recycled}`);
  return [`  pool: ${parts.join(', ')}`];
}

function pick(view: WorkerView, worker: WorkerInfo): unknown {
  switch (view) {
    case 'active': return { name: worker.name, active: worker.active };
    case 'registered': return { name: worker.name, registered: worker.registered };
    case 'stats': return worker;
  }
}

export async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('inspect', argv, { ...COMMON_OPTIONS, json: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(INSPECT_HELP);
    return 0;
  }
  const view = positionals[0] as View;
  if (positionals.length !== 1 || !VIEWS.includes(view)) {
    throw new CliError(`tasklane inspect needs one of ${VIEWS.join(', ')}${positionals.length ? `, got "${positionals.join(' ')}"` : ''}`);
  }
  const broker = await connectBroker(resolveWorkspace(values));
  try {
    if (view === 'measured') {
      const summaries = (await broker.measuredRuns()).map(summarizeRuns).filter((s) => s !== undefined)
        .sort((a, b) => a.task.localeCompare(b.task));
      if (values.json) process.stdout.write(`${JSON.stringify(summaries)}\n`);
      else if (!summaries.length) process.stderr.write(`no runs are recorded yet (broker ${broker.displayUrl})\n`);
      else process.stdout.write(`${summaries.map(measuredLine).join('\n')}\n`);
      return 0;
    }
    const workers = (await broker.workers()).sort((a, b) => a.name.localeCompare(b.name));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(workers.map((w) => pick(view, w)))}\n`);
      return 0;
    }
    if (!workers.length) {
      process.stderr.write(`no workers are online (broker ${broker.displayUrl})\n`);
      return 1;
    }
    const now = Date.now();
    process.stdout.write(`${workers.flatMap((w) => render(view, w, now)).join('\n')}\n`);
    return 0;
  } finally {
    await broker.close();
  }
}
