// `npm run bench > out.jsonl; node --import tsx bench/report.ts out.jsonl`: the JSON lines of one
// bench run as the Markdown tables of RESULTS.md, so the figures there are copied by no hand.
import { readFileSync } from 'node:fs';
import type { Line } from './cases.ts';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node --import tsx bench/report.ts <bench output .jsonl>\n');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
const cell = (value: unknown) => (value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

function table(title: string, rows: Line[], columns: string[]): void {
  if (!rows.length) return;
  process.stdout.write(`\n### ${title}\n\n| ${columns.join(' | ')} |\n|${columns.map(() => ' --- ').join('|')}|\n`);
  for (const row of rows) process.stdout.write(`| ${columns.map((c) => cell(row[c])).join(' | ')} |\n`);
}

const cases = (bench: string) => lines.filter((l) => l.bench === bench);
const who = ['system', 'broker', 'pool', 'concurrency'];
table('W1: 20,000 no-op tasks enqueued, then drained', cases('W1'),
  [...who, 'tasksPerSec', 'drainMs', 'enqueueMs', 'workerCpuUsPerTask', 'redisCpuUsPerTask', 'redisCommandsPerTask', 'error']);
table('W1: sequential round trips (delay → get)', cases('W1-rtt'), [...who, 'roundTrips', 'p50Ms', 'p99Ms', 'redisPingP50Ms', 'redisCommandsPerRoundTrip', 'error']);
table('W2: CPU tasks of ~100 ms', cases('W2'), [...who, 'tasks', 'tSingleMs', 'idealMs', 'measuredMs', 'efficiency', 'controlMs', 'controlEfficiency', 'vsBareThreads', 'load1', 'note', 'error']);
table('W3: tasks awaiting a 200 ms timer, concurrency 500', cases('W3'),
  [...who, 'tasks', 'idealMs', 'measuredMs', 'efficiency', 'workerCpuShare', 'workerCpuUsPerTask', 'load1', 'skipped', 'error']);
table('W1 with results not kept (Tasklane ignoreResult, BullMQ removeOnComplete { count: 0 })', cases('W1-ignore'),
  [...who, 'tasksPerSec', 'drainMs', 'workerCpuUsPerTask', 'redisCpuUsPerTask', 'redisCommandsPerTask', 'error']);
table('W3 at 10,000: tasks awaiting a 2 s timer, concurrency 10,000', cases('W3-10k'),
  [...who, 'tasks', 'idealMs', 'measuredMs', 'efficiency', 'workerCpuShare', 'workerCpuUsPerTask', 'rssPerInFlightKb', 'privatePerInFlightKb', 'fileBackedPerInFlightKb', 'heapPerInFlightKb', 'rssPeakMb', 'load1', 'skipped', 'error']);
table('Ratios (tasklane / bullmq) and targets', lines.filter((l) => l.ratio && l.bullmqPool),
  ['ratio', 'broker', 'pool', 'bullmqPool', 'tasklane', 'bullmq', 'value', 'target', 'met']);
table('Results not kept against kept (W1 drain)', lines.filter((l) => l.ratio && l.notKept !== undefined),
  ['ratio', 'system', 'broker', 'pool', 'kept', 'notKept', 'value']);
table('Issue 12: each line, its figure and target', lines.filter((l) => l.issue12),
  ['issue12', 'broker', 'pool', 'figure', 'baselineIs', 'baseline', 'ratio', 'target', 'met', 'note']);
