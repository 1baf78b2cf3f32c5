// Schedules in code for the editor: app.schedule(...) calls with the task named through the
// variable that holds it, literal and constant fields read, computed ones said to be computed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';
import { tempWorkspace } from './analysis-helpers.ts';

const ws = tempWorkspace({
  'src/tasks.ts': [
    `import { createApp } from 'tasklane';`,
    `export const app = createApp({ name: 'p' });`,
    `export const report = app.task('reports.daily', async (region: string) => region);`,
    `const MORNING = '0 9 * * 1-5';`,
    `app.schedule('eu-morning', { task: report, cron: MORNING, timezone: 'Europe/Paris', args: ['eu'], queue: 'io' });`,
    `app.schedule('by-name', { task: 'reports.daily', every: '30s' });`,
    '',
  ].join('\n'),
  'src/later.ts': [
    `import { app, report } from './tasks';`,
    `const minutes = Number(process.env.EVERY ?? 5);`,
    `app.schedule('computed', { task: report, every: minutes * 60_000 });`,
    '',
  ].join('\n'),
});
after(() => ws.remove());

test('app.schedule calls are found with their task, timing and queue as written', () => {
  const service = createAnalysisService({ root: ws.root, cores: 2 });
  service.analyzeAll();
  const found = service.schedules().map(({ file, ...rest }) => ({ ...rest, file: file.slice(ws.root.length + 1) }));
  assert.deepEqual(found, [
    { name: 'computed', task: 'reports.daily', computed: ['every'], file: 'src/later.ts', line: 3 },
    { name: 'eu-morning', task: 'reports.daily', cron: '0 9 * * 1-5', timezone: 'Europe/Paris', queue: 'io', file: 'src/tasks.ts', line: 5 },
    { name: 'by-name', task: 'reports.daily', every: '30s', file: 'src/tasks.ts', line: 6 },
  ]);
  // An edit is seen at once.
  service.updateFile(ws.path('src/later.ts'), `import { app } from './tasks';\napp.schedule('hourly', { task: 'reports.daily', every: 3_600_000 });\n`);
  assert.deepEqual(service.schedules().filter((s) => s.file.endsWith('later.ts')).map((s) => [s.name, s.every]), [['hourly', 3_600_000]]);
});
