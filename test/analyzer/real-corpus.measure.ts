// The real-code corpus (test/corpus-real/manifest.json, issue 10): labelled tasks from packages on
// the npm registry, fetched into a cache by scripts/fetch-real-corpus.mjs, and from permissively
// licensed GitHub projects vendored under test/corpus-real/vendor. Each entry's file is analysed
// with its package or vendored project as the root (helpers are followed), the analyzer's task is
// matched by file, locator line and (for one job of a dispatching processor) job name, and kind
// accuracy, pool accuracy and blocking F1 are reported per framework, per labelled kind and per
// source. An entry with no matching task is a miss.
// Only entries in the frameworks the analyzer claims (DESIGN.md section 2) are gated; the other job
// systems' entries are measured and reported apart, as outside the analyzer's frameworks.
// `npm run corpus:real`. Not yet part of `npm test`: the gated set has the size issue 10 demands
// but not the figures (see test/corpus-real/README.md); it joins the suite once it passes.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import type { TaskAnalysis } from '../../analyzer/src/types.ts';

/** What issue 10 demands, for each of kind accuracy, pool accuracy and blocking F1. */
const THRESHOLD = 0.9;

/** `locator.framework` values of the frameworks DESIGN.md section 2 says the analyzer discovers. */
const GATED_FRAMEWORKS = new Set(['bullmq', 'bull', 'nestjs-bullmq', 'nestjs-bull', 'tasklane']);

interface Entry {
  id: string;
  project: string;
  /** "vendor" for a file kept in test/corpus-real/vendor; an npm package otherwise. */
  source?: 'vendor';
  path: string;
  /**
   * `job`: the job name when the entry is one job of a processor that dispatches on the job's name;
   * `jobExpression`: how the code writes that name where it is a computed key (`[MessageType.EMAIL]`).
   */
  locator: { framework: string; name: string; line: number; match: string; job?: string; jobExpression?: string };
  label: { kind: string; blocking: boolean; pools: string[] };
}

interface Outcome {
  entry: Entry;
  /** The analyzer's answer for the entry, undefined when no task matched. */
  task?: Pick<TaskAnalysis, 'name' | 'kind' | 'blocking' | 'pool'>;
}

interface Scores {
  entries: number;
  matched: number;
  kindAccuracy: number;
  poolAccuracy: number;
  blocking: { truePositives: number; falsePositives: number; falseNegatives: number; precision: number; recall: number; f1: number };
}

/**
 * The tasks an entry stands for: those declared in its file whose call spans the locator line
 * (the line of `new Worker(`/`.process(`, a queue argument, or the handler's first line), the
 * tightest span first. A call split per job name gives several tasks with the same span; an entry
 * for one job takes the task of that job (`queue:job`) when the analyzer split the processor, and
 * the processor's single verdict when it did not.
 */
function matching(tasks: TaskAnalysis[], file: string, { line, job, jobExpression }: Entry['locator']): TaskAnalysis[] {
  const spanning = tasks.filter((t) => t.file === file && t.range.startLine <= line && line <= t.range.endLine);
  const names = [job, jobExpression, jobExpression && `[${jobExpression}]`].filter((n) => n !== undefined).map((n) => `:${n}`);
  const forJob = spanning.filter((t) => names.some((n) => t.name.endsWith(n)));
  const candidates = forJob.length ? forJob : spanning;
  const width = (t: TaskAnalysis) => t.range.endLine - t.range.startLine;
  const tightest = Math.min(...candidates.map(width));
  return candidates.filter((t) => width(t) === tightest);
}

/** Several tasks (one per job name) judged as the one entry they stand for: the work of all of them. */
function combined(tasks: TaskAnalysis[]): Outcome['task'] {
  if (tasks.length <= 1) return tasks[0];
  const kinds = new Set(tasks.map((t) => t.kind));
  const kind = kinds.size === 1 ? tasks[0].kind : kinds.has('unknown') ? 'unknown' : 'mixed';
  const blocking = tasks.some((t) => t.blocking);
  const pool = kind === 'io' && !blocking ? 'async' : tasks.find((t) => t.pool !== 'async')?.pool ?? 'threads';
  return { name: tasks.map((t) => t.name).join(' + '), kind, blocking, pool };
}

function scores(outcomes: Outcome[]): Scores {
  const ratio = (n: number, d: number) => (d ? n / d : 0);
  const kindRight = outcomes.filter((o) => o.task?.kind === o.entry.label.kind).length;
  // An unknown label accepts every pool: only the kind is scored there, so a miss still misses.
  const poolRight = outcomes.filter((o) => o.task && o.entry.label.pools.includes(o.task.pool)).length;
  const truePositives = outcomes.filter((o) => o.entry.label.blocking && o.task?.blocking).length;
  const falsePositives = outcomes.filter((o) => !o.entry.label.blocking && o.task?.blocking).length;
  const falseNegatives = outcomes.filter((o) => o.entry.label.blocking && !o.task?.blocking).length;
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  return {
    entries: outcomes.length,
    matched: outcomes.filter((o) => o.task).length,
    kindAccuracy: ratio(kindRight, outcomes.length),
    poolAccuracy: ratio(poolRight, outcomes.length),
    blocking: { truePositives, falsePositives, falseNegatives, precision, recall, f1: ratio(2 * precision * recall, precision + recall) },
  };
}

function table(rows: Array<[string, Scores]>): string {
  const pct = (n: number) => `${(100 * n).toFixed(1)}%`.padStart(7);
  const lines = [`${'category'.padEnd(40)} entries matched    kind    pool  blk P  blk R blk F1`];
  for (const [name, s] of rows) {
    const b = s.blocking;
    const positives = b.truePositives + b.falseNegatives + b.falsePositives;
    const blocking = positives ? `${pct(b.precision)}${pct(b.recall)}${pct(b.f1)}` : `${'-'.padStart(7)}${'-'.padStart(7)}${'-'.padStart(7)}`;
    lines.push(`${name.padEnd(40)} ${String(s.entries).padStart(7)} ${String(s.matched).padStart(7)}${pct(s.kindAccuracy)}${pct(s.poolAccuracy)}${blocking}`);
  }
  return lines.join('\n');
}

function groupBy(outcomes: Outcome[], key: (o: Outcome) => string): Array<[string, Scores]> {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => [name, scores(list)]);
}

test('real-code corpus: kind, pool and blocking against the hand labels', { timeout: 30 * 60_000 }, async () => {
  // Imported when run, by URL: the script has top-level await (this file's CommonJS form cannot
  // require it) and no type declarations.
  const script = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'fetch-real-corpus.mjs')).href;
  const { fetchCorpus, entryRoot, entryFile } = await import(script) as {
    fetchCorpus(options: { log(message: string): void }): Promise<{ manifest: { entries: Entry[] }; failures: string[] }>;
    entryRoot(entry: Entry): string;
    entryFile(entry: Entry): string;
  };
  const { manifest, failures } = await fetchCorpus({ log: () => {} });
  assert.deepEqual(failures, [], 'the corpus is fetched and every entry is where the manifest says');

  const outcomes: Outcome[] = [];
  const byRoot = new Map<string, Entry[]>();
  for (const entry of manifest.entries) byRoot.set(entryRoot(entry), [...(byRoot.get(entryRoot(entry)) ?? []), entry]);
  for (const [root, entries] of byRoot) {
    // Only the entries' files are opened: their helpers are parsed when a walk reaches them, as in
    // the editor, instead of discovering tasks across a whole application package.
    const service = createAnalysisService({ root, cores: 4 });
    for (const file of new Set(entries.map(entryFile))) service.updateFile(file, undefined);
    const tasks = service.tasks();
    for (const entry of entries) {
      outcomes.push({ entry, task: combined(matching(tasks, entryFile(entry), entry.locator)) });
    }
  }

  const gated = outcomes.filter((o) => GATED_FRAMEWORKS.has(o.entry.locator.framework));
  const outside = outcomes.filter((o) => !GATED_FRAMEWORKS.has(o.entry.locator.framework));
  const overall = scores(gated);
  const byFramework = groupBy(gated, (o) => `framework ${o.entry.locator.framework}`);
  const byKind = groupBy(gated, (o) => `label ${o.entry.label.kind}`);
  const bySource = groupBy(gated, (o) => `source ${o.entry.source === 'vendor' ? 'vendored GitHub' : 'npm package'}`);
  const projects = new Set(gated.map((o) => o.entry.project)).size;
  console.log(`gated: ${gated.length} entries from ${projects} projects, in the analyzer's frameworks`);
  console.log(table([['gated', overall], ...byFramework, ...byKind, ...bySource]));
  for (const o of gated) {
    const t = o.task;
    const wrong = !t || t.kind !== o.entry.label.kind || !o.entry.label.pools.includes(t.pool) || t.blocking !== o.entry.label.blocking;
    if (wrong) {
      console.log(`  ${o.entry.id}: labelled ${o.entry.label.kind}${o.entry.label.blocking ? ' blocking' : ''} [${o.entry.label.pools}], `
        + (t ? `got ${t.kind}${t.blocking ? ' blocking' : ''} ${t.pool} (${t.name})` : 'no task found'));
    }
  }
  // Reported, not gated: discovery of these job systems is not in the analyzer's contract.
  const outsideScores = scores(outside);
  console.log(`\noutside the analyzer's frameworks (not gated): ${outside.length} entries`);
  console.log(table([['outside', outsideScores], ...groupBy(outside, (o) => `framework ${o.entry.locator.framework}`)]));
  const record = {
    date: new Date().toISOString(),
    threshold: THRESHOLD,
    gated: { entries: gated.length, projects, overall, byFramework: Object.fromEntries(byFramework), byKind: Object.fromEntries(byKind), bySource: Object.fromEntries(bySource) },
    outside: outsideScores,
    entries: outcomes.map((o) => ({ id: o.entry.id, gated: GATED_FRAMEWORKS.has(o.entry.locator.framework), label: o.entry.label, task: o.task ?? null })),
  };
  const results = join(__dirname, '..', '..', 'test-results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'real-corpus.json'), JSON.stringify(record, null, 2) + '\n');

  assert.ok(gated.length >= 120 && projects >= 12, `the gated set has ${gated.length} entries from ${projects} projects; issue 10 asks for 120 from 12`);
  assert.ok(overall.kindAccuracy >= THRESHOLD, `kind accuracy ${overall.kindAccuracy.toFixed(3)} < ${THRESHOLD}`);
  assert.ok(overall.poolAccuracy >= THRESHOLD, `pool accuracy ${overall.poolAccuracy.toFixed(3)} < ${THRESHOLD}`);
  assert.ok(overall.blocking.f1 >= THRESHOLD, `blocking F1 ${overall.blocking.f1.toFixed(3)} < ${THRESHOLD}`);
});
