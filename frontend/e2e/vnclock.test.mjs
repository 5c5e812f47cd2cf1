// The browser tests' Vietnam clock (vnclock.mjs) at the hours that used to
// break them: a minute either side of midnight in Vietnam (a different UTC
// date from Vietnam's from 00:00 to 07:00), across a week's end and a
// month's end, and during the demo teacher's sessions. No server needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sessionUnderWay, vnAt, vnClock, vnDate, vnMonday, vnNextMidnight, waitForDay } from './vnclock.mjs';

const at = (iso) => Date.parse(iso);

describe('vnclock', () => {
  it('dates are Vietnam’s, not UTC’s, either side of midnight', () => {
    // 23:59 on Tuesday 1 December in Vietnam is 16:59 UTC the same day.
    assert.equal(vnDate(0, at('2026-12-01T23:59:00+07:00')), '2026-12-01');
    // 00:01 on Wednesday 2 December in Vietnam is still 1 December in UTC.
    const early = at('2026-12-02T00:01:00+07:00');
    assert.equal(new Date(early).toISOString().slice(0, 10), '2026-12-01');
    assert.equal(vnDate(0, early), '2026-12-02');
    assert.equal(vnDate(1, early), '2026-12-03');
    assert.equal(vnDate(-1, early), '2026-12-01');
    assert.equal(vnClock(early), '00:01');
    // A month's and a year's end.
    assert.equal(vnDate(1, at('2026-12-31T23:59:00+07:00')), '2027-01-01');
    assert.equal(vnDate(0, at('2027-01-01T00:01:00+07:00')), '2027-01-01');
  });

  it('the week starts on Monday in Vietnam, also at 00:01 on a Monday (still Sunday in UTC)', () => {
    assert.equal(vnMonday(at('2026-12-07T00:01:00+07:00')), '2026-12-07');
    assert.equal(vnMonday(at('2026-12-06T23:59:00+07:00')), '2026-11-30');
    assert.equal(vnMonday(at('2026-12-02T19:00:00+07:00')), '2026-11-30');
  });

  it('a session under way stays within the day in Vietnam', () => {
    // At the demo teacher's Monday class (18:45): five minutes ago to 55 minutes on.
    const evening = sessionUnderWay(at('2026-11-30T18:45:00+07:00'));
    assert.deepEqual(evening, { date: '2026-11-30', startsAt: '2026-11-30T11:40:00.000Z', endsAt: '2026-11-30T12:40:00.000Z' });
    // 00:01: it starts at midnight, not yesterday.
    const early = sessionUnderWay(at('2026-12-02T00:01:00+07:00'));
    assert.equal(early.date, '2026-12-02');
    assert.equal(early.startsAt, new Date(at(vnAt('2026-12-02', '00:00'))).toISOString());
    assert.ok(Date.parse(early.startsAt) <= at('2026-12-02T00:01:00+07:00'));
    // 23:30: it ends at 23:59, before midnight.
    const late = sessionUnderWay(at('2026-12-01T23:30:00+07:00'));
    assert.equal(late.endsAt, new Date(at(vnAt('2026-12-01', '23:59'))).toISOString());
    assert.ok(Date.parse(late.startsAt) < at('2026-12-01T23:30:00+07:00'));
    // 23:55: too little of the day left.
    assert.equal(sessionUnderWay(at('2026-12-01T23:55:00+07:00')), null);
    // Every quarter-hour of a week: under way now, on one civil day, at least ten minutes to run.
    for (let t = at('2026-11-30T00:00:00+07:00'); t < at('2026-12-07T00:00:00+07:00'); t += 15 * 60_000) {
      const s = sessionUnderWay(t);
      if (!s) {
        assert.ok(vnNextMidnight(t) - t < 10 * 60_000, vnClock(t));
        continue;
      }
      const from = Date.parse(s.startsAt);
      const to = Date.parse(s.endsAt);
      assert.ok(from <= t && t + 10 * 60_000 <= to, `${new Date(t).toISOString()}: ${JSON.stringify(s)}`);
      assert.equal(vnDate(0, from), vnDate(0, t));
      assert.equal(vnDate(0, to - 1), vnDate(0, t));
      assert.equal(s.date, vnDate(0, t));
    }
  });

  it('waits for the new day only when too little of this one is left', () => {
    assert.equal(waitForDay(5, at('2026-12-01T23:50:00+07:00')), 0);
    assert.equal(waitForDay(5, at('2026-12-02T00:00:30+07:00')), 0);
    // 23:57:30: 2.5 minutes to midnight, and five seconds more.
    assert.equal(waitForDay(5, at('2026-12-01T23:57:30+07:00')), 150_000 + 5_000);
  });
});
