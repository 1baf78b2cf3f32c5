// `tasklane analyze <path> [--json]`: the analysis from a terminal or CI. Paths in the output are
// relative to the analysed folder (the file's folder when a file is named), with forward slashes.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { createAnalysisService } from './service.ts';
import type { AnalyzeOutput, TaskAnalysis } from './types.ts';

const USAGE = `usage: tasklane analyze <path> [--json] [--verbose]
  <path>      a folder (every task under it) or one file (default: the current folder)
  --json      print {"tasks":[{"name","file","line","kind","blocking","pool","concurrency","queue","evidence":[...]}]}
  --verbose   log why an answer is partial (depth or size limits, handlers that cannot be followed)`;

/** Runs the command; returns the exit code (0 done, 2 bad usage or path). */
export async function runAnalyzeCli(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`tasklane analyze: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (parsed.positionals.length > 1) {
    process.stderr.write(`tasklane analyze: one path at a time (got ${parsed.positionals.length}: ${parsed.positionals.join(' ')})\n${USAGE}\n`);
    return 2;
  }
  const target = resolve(parsed.positionals[0] ?? '.');
  if (!existsSync(target)) {
    process.stderr.write(`tasklane analyze: ${target} does not exist: name a folder or a .ts/.js file\n`);
    return 2;
  }
  const folder = statSync(target).isDirectory();
  const base = folder ? target : dirname(target);
  const verbose = parsed.values.verbose === true;
  const service = createAnalysisService({ root: target, log: (message) => { if (verbose) process.stderr.write(`${message}\n`); } });
  // A file named: its own tasks (their helpers elsewhere are still followed), not its neighbours'.
  const tasks = service.analyzeAll().filter((t) => folder || t.file === target);
  const rel = (file: string): string => relative(base, file).split(sep).join('/');
  if (parsed.values.json) {
    const output: AnalyzeOutput = {
      tasks: tasks.map((t) => ({
        name: t.name, file: rel(t.file), line: t.line, kind: t.kind, blocking: t.blocking, pool: t.pool,
        concurrency: t.concurrency, queue: t.queue,
        evidence: t.evidence.map((e) => ({ kind: e.kind, message: e.message, file: rel(e.file), line: e.line })),
      })),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    process.stdout.write(table(tasks, rel));
  }
  return 0;
}

function table(tasks: TaskAnalysis[], rel: (file: string) => string): string {
  if (!tasks.length) return 'No tasks found (looked for app.task(...) and BullMQ new Worker(...)).\n';
  const rows = tasks.map((t) => [t.name, t.kind, t.blocking ? 'yes' : 'no', `${t.pool} × ${t.concurrency}`, t.queue, `${rel(t.file)}:${t.line}`]);
  const header = ['TASK', 'KIND', 'BLOCKING', 'POOL', 'QUEUE', 'WHERE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [line(header)];
  tasks.forEach((t, i) => {
    out.push(line(rows[i]));
    for (const e of t.evidence) out.push(`    ${e.kind.padEnd(9)} ${rel(e.file)}:${e.line}  ${e.message}`);
    for (const p of t.problems) out.push(`    ! ${p.code}: ${p.message}`);
  });
  const counts = ['cpu', 'io', 'mixed', 'unknown'].map((k) => `${tasks.filter((t) => t.kind === k).length} ${k}`).join(', ');
  out.push('', `${tasks.length} task(s): ${counts}; ${tasks.filter((t) => t.blocking).length} blocking`);
  return `${out.join('\n')}\n`;
}
