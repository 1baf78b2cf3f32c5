// The labeled corpus (test/corpus/<case>/expect.json): every case's tasks must get the expected
// kind, blocking flag and pool (and queue, where a case names one). Prints the accuracy.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import type { TaskAnalysis } from '../../analyzer/src/types.ts';

interface Expected { name: string; kind: string; blocking: boolean; pool: string; queue?: string }

const corpus = join(__dirname, '..', 'corpus');
const cases = readdirSync(corpus, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const score = { tasks: 0, right: 0, kind: 0, blocking: 0, pool: 0 };

test('the corpus has at least 50 cases, Tasklane and BullMQ', () => {
  assert.ok(cases.length >= 50, `${cases.length} cases`);
  assert.ok(cases.some((c) => c.startsWith('bq-')) && cases.some((c) => c.startsWith('tl-')));
});

for (const name of cases) {
  test(`corpus: ${name}`, () => {
    const expectation = JSON.parse(readFileSync(join(corpus, name, 'expect.json'), 'utf8')) as { about: string; tasks: Expected[] };
    const tasks = createAnalysisService({ root: join(corpus, name), cores: 4 }).analyzeAll();
    const brief = (t: TaskAnalysis) => ({ name: t.name, kind: t.kind, blocking: t.blocking, pool: t.pool, evidence: t.evidence.map((e) => `${e.kind}: ${e.message}`) });
    assert.deepEqual(tasks.map((t) => t.name).sort(), expectation.tasks.map((t) => t.name).sort(), `${expectation.about}: task names`);
    for (const expected of expectation.tasks) {
      const actual = tasks.find((t) => t.name === expected.name)!;
      score.tasks++;
      const ok = { kind: actual.kind === expected.kind, blocking: actual.blocking === expected.blocking, pool: actual.pool === expected.pool };
      for (const key of ['kind', 'blocking', 'pool'] as const) if (ok[key]) score[key]++;
      if (ok.kind && ok.blocking && ok.pool && (expected.queue === undefined || actual.queue === expected.queue)) score.right++;
      assert.deepEqual(
        { kind: actual.kind, blocking: actual.blocking, pool: actual.pool, ...(expected.queue ? { queue: actual.queue } : {}) },
        { kind: expected.kind, blocking: expected.blocking, pool: expected.pool, ...(expected.queue ? { queue: expected.queue } : {}) },
        `${expectation.about}\n${JSON.stringify(brief(actual), null, 2)}`,
      );
      assert.ok(actual.evidence.length > 0 || actual.kind === 'unknown', 'a verdict comes with evidence');
    }
  });
}

after(() => {
  const pct = (n: number) => `${((100 * n) / Math.max(score.tasks, 1)).toFixed(1)}%`;
  console.log(`corpus accuracy: ${score.right}/${score.tasks} tasks right (${pct(score.right)}) over ${cases.length} cases; kind ${pct(score.kind)}, blocking ${pct(score.blocking)}, pool ${pct(score.pool)}`);
});
