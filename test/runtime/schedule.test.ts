// Schedules: their times (cron across daylight-saving changes, on fixed dates), their checks (in code
// and in tasklane.config.json), and the scheduler's claim and catch-up on a real broker with an
// injected clock (no wall-clock asserts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Beat, checkScheduleTasks } from '../../runtime/src/beat.ts';
import { buildMessage } from '../../runtime/src/message.ts';
import { createBroker } from '../../runtime/src/broker/index.ts';
import { freshBrokers } from '../helpers/brokers.ts';
import { parseConfig } from '../../runtime/src/config.ts';
import { Logger } from '../../runtime/src/logger.ts';
import { createApp } from '../../runtime/src/index.ts';
import { nextFireTime, registeredSchedules, tickId, timetable, type ScheduleDefinition } from '../../runtime/src/schedule.ts';
import type { Broker } from '../../runtime/src/broker/broker.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `n` ticks after `from`. */
function ticks(spec: Parameters<typeof timetable>[1], from: string, n: number): string[] {
  const t = timetable('s', spec);
  const out: string[] = [];
  for (let tick = at(from); out.length < n;) {
    tick = t.next(tick)!;
    out.push(iso(tick)!);
  }
  return out;
}

test('every: ticks aligned to the epoch, so every scheduler computes the same ones', () => {
  assert.deepEqual(ticks({ every: '30s' }, '2026-01-01T10:00:10.500Z', 3), ['2026-01-01T10:00:30.000Z', '2026-01-01T10:01:00.000Z', '2026-01-01T10:01:30.000Z']);
  assert.deepEqual(ticks({ every: '1h' }, '2026-01-01T10:00:00.000Z', 1), ['2026-01-01T11:00:00.000Z'], 'a tick is strictly after');
  assert.equal(iso(timetable('s', { every: '1m' }).latest(at('2026-01-01T10:00:59.999Z'))), '2026-01-01T10:00:00.000Z');
});

test('cron in Europe/Berlin: 02:30 on the spring-forward day fires once at 03:00; on the fall-back day once, at the first 02:30', () => {
  // 2026-03-29: clocks go 02:00 CET -> 03:00 CEST, so 02:30 does not exist.
  assert.deepEqual(ticks({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, '2026-03-28T12:00:00Z', 3),
    ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  // 2026-10-25: clocks go 03:00 CEST -> 02:00 CET, so 02:30 happens twice (00:30Z and 01:30Z).
  assert.deepEqual(ticks({ cron: '30 2 * * *', timezone: 'Europe/Berlin' }, '2026-10-24T12:00:00Z', 3),
    ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  // An hourly cron keeps firing every real hour through the repeated hour (02:00 CEST and 02:00 CET).
  assert.deepEqual(ticks({ cron: '0 * * * *', timezone: 'Europe/Berlin' }, '2026-10-24T23:30:00Z', 4),
    ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
  // Weekdays at 09:00 Paris time: winter (UTC+1) then summer (UTC+2).
  assert.equal(nextFireTime('s', { cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }, at('2026-03-27T09:00:00Z'))?.toISOString(), '2026-03-30T07:00:00.000Z');
  assert.equal(iso(timetable('s', { cron: '0 9 * * *', timezone: 'Europe/Paris' }).latest(at('2026-03-30T07:00:00Z'))), '2026-03-30T07:00:00.000Z', 'latest includes a tick at the instant itself');
});

test('bad schedules fail with one error naming the field, in code and in the config', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ task: 't', cron: '61 * * * *' }, /schedules\.s\.cron is no cron expression: "61 \* \* \* \*" \(Invalid value for minute: 61\)/],
    [{ task: 't', cron: '0 9 * * *', timezone: 'Mars/Olympus' }, /schedules\.s\.timezone is no IANA time zone: "Mars\/Olympus"/],
    [{ task: 't' }, /schedules\.s needs either every or cron \(one of them\)/],
    [{ task: 't', every: '1s', cron: '* * * * *' }, /schedules\.s needs either every or cron \(one of them\)/],
    [{ task: 't', every: '100ms' }, /schedules\.s\.every must be at least 1s/],
    [{ task: 't', every: '5x' }, /schedules\.s\.every must be milliseconds or a duration/],
    [{ task: 't', every: '1m', timezone: 'Europe/Paris' }, /schedules\.s\.timezone applies to cron only/],
    [{ task: 't', every: '1m', catchUp: 'burst' }, /schedules\.s\.catchUp must be one of one, all/],
    [{ every: '1m' }, /schedules\.s is missing the required field "task"/],
    [{ task: 't', every: '1m', args: 'x' }, /schedules\.s\.args must be array/],
  ];
  for (const [schedule, message] of cases) {
    assert.throws(() => parseConfig(JSON.stringify({ schedules: { s: schedule } })), message, JSON.stringify(schedule));
  }
  assert.deepEqual(parseConfig(JSON.stringify({ schedules: { s: { task: 't', cron: '0 9 * * 1-5', timezone: 'Europe/Paris', args: [1], queue: 'io', catchUp: 'all' } } })).schedules?.s.catchUp, 'all');

  const app = createApp({ name: 'schedule-test', broker: 'memory://schedule-test' });
  const add = app.task('schedule-test.add', (a: number, b: number) => a + b);
  assert.throws(() => app.schedule('bad-cron', { task: add, cron: '* * *' }), /schedule "bad-cron": cron is no cron expression/);
  const defined = app.schedule('sum', { task: add, every: '10s', args: [1, 2] });
  // Typed like delay: a task's schedule takes its arguments; a name takes any JSON.
  // @ts-expect-error the arguments of add are numbers
  app.schedule('typed', { task: add, every: '10s', args: ['1', 2] });
  assert.throws(() => app.schedule('late', { task: add, every: '10s', catchUp: 'never' as 'one' }), /schedule "late": catchUp must be one of one, all, got "never"/);
  // What only the scheduler can check, once the app is loaded: the task exists, the args are JSON.
  assert.throws(() => checkScheduleTasks([{ name: 'ghost', task: 'schedule-test.sub', every: '1m', source: 'test' }]), /schedule "ghost": task names no task of the app: "schedule-test\.sub" \(test; known tasks: .*schedule-test\.add/);
  assert.throws(() => checkScheduleTasks([{ name: 'big', task: 'schedule-test.add', every: '1m', args: [1n, 2], source: 'test' }]), /schedule "big": args cannot be sent: arguments of task "schedule-test\.add" are not JSON/);
  app.schedule('by-name', { task: 'schedule-test.add', cron: '*/5 * * * * *', args: ['anything'] });
  assert.deepEqual(defined, { name: 'sum', task: 'schedule-test.add', every: '10s', args: [1, 2], source: 'app.schedule' });
  assert.ok(registeredSchedules().some((s) => s.name === 'sum'));
  assert.throws(() => app.schedule('sum', { task: add, every: '20s', args: [1, 2] }), /schedule "sum": name is defined twice/);
});

function quietLogger(lines: string[]): Logger {
  return new Logger('beat', 'info', (line) => lines.push(line));
}

/** A beat over one schedule with a settable clock. */
function beatOn(broker: Broker, schedule: Partial<ScheduleDefinition>, clock: { now: number }, lines: string[] = []): Beat {
  const definition = { name: 'tick', task: 'schedule-test.add', source: 'test', ...schedule } as ScheduleDefinition;
  return new Beat({ broker, schedules: [definition], logger: quietLogger(lines), now: () => clock.now });
}

/** The queue's waiting messages' ids (fetch and ack them). */
async function sentIds(broker: Broker): Promise<string[]> {
  const deliveries = await broker.fetch(['default'], 1000, { waitMs: 0 });
  await broker.ack(deliveries);
  return deliveries.map((d) => d.message!.id).sort();
}

const { urls } = freshBrokers('schedule');

for (const kind of ['memory', 'file', 'redis'] as const) {
  const make = () => createBroker(urls[kind]());
  test(`${kind}: a first start sends nothing; then each tick is sent once by one of two schedulers`, async () => {
    const broker = make();
    await broker.connect();
    try {
      const clock = { now: at('2026-01-01T10:00:00.400Z') };
      const lines: string[] = [];
      const a = beatOn(broker, { every: '1s' }, clock, lines);
      const b = beatOn(broker, { every: '1s' }, clock, lines);
      assert.deepEqual((await a.tick()).fired, []);
      assert.equal((await b.tick()).nextAt, at('2026-01-01T10:00:01.000Z'));
      assert.ok(lines.some((l) => /schedule tick: first start, ticks from now on \(every 1s\)/.test(l)), lines.join('\n'));
      let fired = 0;
      for (let s = 1; s <= 5; s++) {
        clock.now = at(`2026-01-01T10:00:0${s}.002Z`);
        const [x, y] = await Promise.all([a.tick(), b.tick()]);
        fired += x.fired.length + y.fired.length;
      }
      assert.equal(fired, 5);
      assert.deepEqual(await sentIds(broker), [1, 2, 3, 4, 5].map((s) => tickId('tick', at(`2026-01-01T10:00:0${s}.000Z`))));
    } finally {
      await broker.close();
    }
  });

  test(`${kind}: after a stop, catchUp "one" sends the latest missed tick once and logs the skipped ones; "all" sends each`, async () => {
    const broker = make();
    await broker.connect();
    try {
      const clock = { now: at('2026-01-01T10:00:00.500Z') };
      const lines: string[] = [];
      await beatOn(broker, { every: '1s' }, clock, lines).tick();
      clock.now = at('2026-01-01T10:00:01.001Z');
      await beatOn(broker, { every: '1s' }, clock, lines).tick();
      assert.deepEqual(await sentIds(broker), [tickId('tick', at('2026-01-01T10:00:01Z'))]);
      // No scheduler for 4.5 s: ticks 2, 3, 4, 5 and 6 are due; a restarted one sends 6 and logs 4 skipped.
      clock.now = at('2026-01-01T10:00:06.500Z');
      const restarted = beatOn(broker, { every: '1s' }, clock, lines);
      assert.deepEqual((await restarted.tick()).fired.map((f) => iso(f.tick)), ['2026-01-01T10:00:06.000Z']);
      assert.ok(lines.some((l) => /WARN .*schedule tick: skipped 4 tick\(s\) missed between 2026-01-01T10:00:01\.000Z and 2026-01-01T10:00:06\.000Z/.test(l)), lines.join('\n'));
      assert.deepEqual((await restarted.tick()).fired, [], 'nothing twice');
      assert.deepEqual(await sentIds(broker), [tickId('tick', at('2026-01-01T10:00:06Z'))]);

      clock.now = at('2026-01-01T10:00:09.200Z');
      const all = beatOn(broker, { every: '1s', catchUp: 'all' }, clock, lines);
      assert.deepEqual((await all.tick()).fired.map((f) => iso(f.tick)), ['2026-01-01T10:00:07.000Z', '2026-01-01T10:00:08.000Z', '2026-01-01T10:00:09.000Z']);
      assert.equal((await sentIds(broker)).length, 3);
    } finally {
      await broker.close();
    }
  });

  test(`${kind}: advanceTick is a compare-and-set`, async () => {
    const broker = make();
    await broker.connect();
    try {
      assert.equal(await broker.lastTick('s'), undefined);
      assert.equal(await broker.advanceTick('s', 5, 6), false, 'no record yet: only from undefined');
      assert.equal(await broker.advanceTick('s', undefined, 10), true);
      assert.equal(await broker.advanceTick('s', undefined, 11), false, 'the first record is made once');
      assert.equal(await broker.advanceTick('s', 10, 20), true);
      assert.equal(await broker.advanceTick('s', 10, 30), false, 'a stale scheduler loses');
      assert.equal(await broker.lastTick('s'), 20);
      // With a message, the winner publishes it in the same step; a loser publishes nothing.
      const message = buildMessage('schedule-test.add', [1, 2], 'default', {}, { id: tickId('m', 5) });
      assert.equal(await broker.advanceTick('m', undefined, 5, message), true);
      assert.equal(await broker.advanceTick('m', undefined, 6, { ...message, id: tickId('m', 6) }), false);
      assert.equal(await broker.advanceTick('m', 4, 6, { ...message, id: tickId('m', 6) }), false);
      assert.deepEqual(await sentIds(broker), [tickId('m', 5)]);
    } finally {
      await broker.close();
    }
  });
}

test('across the daylight-saving nights a scheduler sends 02:30 Berlin once: at 03:00 in spring, at the first 02:30 in autumn', async () => {
  const broker = createBroker(urls.memory());
  await broker.connect();
  try {
    for (const [from, to, expected] of [
      ['2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z', ['2026-03-29T01:00:00.000Z']],
      ['2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z', ['2026-10-25T00:30:00.000Z']],
    ] as const) {
      const clock = { now: at(from) };
      const beat = beatOn(broker, { name: `dst-${from}`, cron: '30 2 * * *', timezone: 'Europe/Berlin' }, clock);
      const fired: string[] = [];
      // A look every 5 minutes of the night, as a scheduler's wake-ups would be.
      for (; clock.now <= at(to); clock.now += 5 * 60_000) fired.push(...(await beat.tick()).fired.map((f) => iso(f.tick)!));
      assert.deepEqual(fired, expected, from);
      await sentIds(broker);
    }
  } finally {
    await broker.close();
  }
});

test('a running scheduler does not pile up abort listeners: 40 sleeps raise no MaxListenersExceededWarning', async () => {
  const broker = createBroker(urls.memory());
  await broker.connect();
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    // After each look the clock moves a second on, so the next tick is due at once: the loop sleeps 0 ms.
    let looks = 0;
    const clock = { now: at('2026-05-01T00:00:00Z') };
    const beat = beatOn(broker, { name: 'sleeps', every: '1s' }, clock);
    const look = beat.tick.bind(beat);
    beat.tick = async () => {
      const result = await look();
      clock.now += 1000;
      looks++;
      return result;
    };
    beat.start();
    while (looks < 40) await new Promise((resolve) => setTimeout(resolve, 5));
    await beat.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.map((w) => w.name), []);
    await sentIds(broker);
  } finally {
    process.off('warning', onWarning);
    await broker.close();
  }
});
