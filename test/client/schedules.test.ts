// The Tasks view's schedule rows: the config's schedules with the runtime's next fire times (one
// timetable for the editor and `tasklane beat`), and a clear reason on a schedule that cannot be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromNow, scheduleRows } from '../../client/src/schedules.ts';

const now = Date.parse('2026-03-28T12:00:00Z');

test('each schedule of the config gets its next fire time, sorted by name; a bad one says why', () => {
  const rows = scheduleRows({
    nightly: { task: 'reports.nightly', cron: '30 2 * * *', timezone: 'Europe/Berlin', queue: 'io' },
    heartbeat: { task: 'ops.ping', every: '30s' },
    broken: { task: 'ops.ping', cron: '0 25 * * *' },
  }, now);
  assert.deepEqual(rows.map((r) => r.name), ['broken', 'heartbeat', 'nightly']);
  assert.match(rows[0].error!, /schedule "broken": cron is no cron expression: "0 25 \* \* \*"/);
  assert.equal(rows[0].next, undefined);
  assert.equal(new Date(rows[1].next!).toISOString(), '2026-03-28T12:00:30.000Z');
  assert.equal(rows[1].when, 'every 30s');
  // 02:30 does not exist in Berlin on 2026-03-29 (spring forward): the next tick is 03:00 CEST.
  assert.equal(new Date(rows[2].next!).toISOString(), '2026-03-29T01:00:00.000Z');
  assert.equal(rows[2].when, 'cron 30 2 * * * (Europe/Berlin)');
  assert.equal(rows[2].queue, 'io');
  assert.deepEqual(scheduleRows(undefined, now), []);
});

test('fromNow says how far the next fire time is', () => {
  assert.equal(fromNow(now + 45_000, now), 'in 45s');
  assert.equal(fromNow(now + 12 * 60_000, now), 'in 12 min');
  assert.equal(fromNow(now + 3 * 3_600_000, now), 'in 3 h');
  assert.equal(fromNow(now + 5 * 86_400_000, now), 'in 5 days');
});
