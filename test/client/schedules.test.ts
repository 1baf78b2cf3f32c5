// The Tasks view's schedule rows: the config's and the code's schedules with the runtime's next fire
// times (one timetable for the editor and `tasklane beat`), and a clear reason on a schedule that
// cannot be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScheduleConfig } from '../../runtime/src/config.ts';
import { fromNow, scheduleRows } from '../../client/src/schedules.ts';

const now = Date.parse('2026-03-28T12:00:00Z');
const config = (schedules: Record<string, ScheduleConfig>) => ({ path: '/ws/tasklane.config.json', schedules });

test("each schedule of the config and the code gets its next fire time, sorted by name; a bad one says why", () => {
  const rows = scheduleRows(config({
    nightly: { task: 'reports.nightly', cron: '30 2 * * *', timezone: 'Europe/Berlin', queue: 'io' },
    heartbeat: { task: 'ops.ping', every: '30s' },
    broken: { task: 'ops.ping', cron: '0 25 * * *' },
  }), [
    { name: 'from-code', task: 'reports.daily', every: 60_000, file: '/ws/src/tasks.ts', line: 7 },
    { name: 'computed', task: 'reports.daily', computed: ['every'], file: '/ws/src/tasks.ts', line: 9 },
  ], now);
  assert.deepEqual(rows.map((r) => r.name), ['broken', 'computed', 'from-code', 'heartbeat', 'nightly']);
  const [broken, computed, fromCode, heartbeat, nightly] = rows;
  assert.match(broken.error!, /schedule "broken": cron is no cron expression: "0 25 \* \* \*"/);
  assert.equal(broken.next, undefined);
  assert.deepEqual([computed.when, computed.next, computed.computed, computed.line], ['every computed in code', undefined, ['every'], 9]);
  assert.deepEqual([fromCode.when, new Date(fromCode.next!).toISOString(), fromCode.file], ['every 60000ms', '2026-03-28T12:01:00.000Z', '/ws/src/tasks.ts']);
  assert.equal(new Date(heartbeat.next!).toISOString(), '2026-03-28T12:00:30.000Z');
  assert.deepEqual([heartbeat.when, heartbeat.file], ['every 30s', '/ws/tasklane.config.json']);
  // 02:30 does not exist in Berlin on 2026-03-29 (spring forward): the next tick is 03:00 CEST.
  assert.equal(new Date(nightly.next!).toISOString(), '2026-03-29T01:00:00.000Z');
  assert.deepEqual([nightly.when, nightly.queue], ['cron 30 2 * * * (Europe/Berlin)', 'io']);
  assert.deepEqual(scheduleRows(undefined, [], now), []);
});

test('a name defined in the config and in code is marked on both rows, as tasklane beat refuses it', () => {
  const rows = scheduleRows(config({ daily: { task: 'a', every: '1d' } }), [{ name: 'daily', task: 'a', every: '1d', file: '/ws/src/tasks.ts', line: 3 }], now);
  assert.equal(rows.length, 2);
  for (const r of rows) assert.match(r.error!, /schedule "daily" is defined 2 times \(\/ws\/tasklane\.config\.json, line 3 of \/ws\/src\/tasks\.ts\): tasklane beat refuses duplicate names/);
});

test('fromNow says how far the next fire time is', () => {
  assert.equal(fromNow(now + 45_000, now), 'in 45s');
  assert.equal(fromNow(now + 12 * 60_000, now), 'in 12 min');
  assert.equal(fromNow(now + 3 * 3_600_000, now), 'in 3 h');
  assert.equal(fromNow(now + 5 * 86_400_000, now), 'in 5 days');
});
