// A schedule the runtime would refuse (a bad cron, an unknown time zone) is a problem of
// tasklane.config.json in the editor, at the offending field, with the runtime's own words.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import { tempWorkspace } from './analysis-helpers.ts';

const CONFIG = JSON.stringify({
  schedules: {
    nightly: { task: 'reports.nightly', cron: '30 2 * * *', timezone: 'Europe/Berlin' },
    often: { task: 'reports.nightly', every: '30s' },
  },
}, null, 2);

const ws = tempWorkspace({
  'tasklane.config.json': CONFIG,
  'src/tasks.ts': `import { createApp } from 'tasklane';\nconst app = createApp({ name: 'p' });\napp.task('reports.nightly', async () => 1);\n`,
});
after(() => ws.remove());

test('a bad cron or time zone of a schedule is a config problem at its field; a valid one is none', () => {
  const service = createAnalysisService({ root: ws.root, cores: 2 });
  service.analyzeAll();
  const configPath = ws.path('tasklane.config.json');
  assert.deepEqual(service.problems(configPath), []);
  for (const [from, to, message] of [
    ['30 2 * * *', '30 26 * * *', /schedules\.nightly\.cron is no cron expression: "30 26 \* \* \*" \(Invalid value for hour: 26\)/],
    ['Europe/Berlin', 'Europe/Berlim', /schedules\.nightly\.timezone is no IANA time zone: "Europe\/Berlim"/],
  ] as const) {
    const broken = CONFIG.replace(from, to);
    service.updateFile(configPath, broken);
    const [problem] = service.problems(configPath);
    assert.equal(problem?.code, 'config-error');
    assert.match(problem.message, message);
    assert.equal(problem.range.startLine, broken.split('\n').findIndex((l) => l.includes(to)) + 1, 'on the offending line');
  }
});
