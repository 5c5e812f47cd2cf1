// The timetable helpers: days are Vietnam's days whatever the instant's
// offset, weeks run Monday to Sunday, and "now" decides today.
import { describe, expect, it } from 'vitest';
import { addDays, groupByDay, isOngoing, nextSession, relativeDay, shortDate, splitWeeks, twoWeeks, upcoming, vietnamMidnight, weekdayName } from '../src/routes/schedule/days';

const s = (id: number, starts_at: string, ends_at: string, status = 'scheduled') => ({ id, starts_at, ends_at, status });

describe('addDays and vietnamMidnight', () => {
  it('crosses months, years and leap days', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('midnight in Vietnam is 17:00 UTC the day before', () => {
    expect(new Date(vietnamMidnight('2026-12-01')).toISOString()).toBe('2026-11-30T17:00:00.000Z');
  });
});

describe('groupByDay', () => {
  it('groups by the day in Vietnam, not in UTC, and sorts within and across days', () => {
    const items = [
      s(3, '2026-12-02T01:00:00Z', '2026-12-02T02:00:00Z'), // 08:00 Wed 2 Dec in Vietnam
      s(1, '2026-12-01T16:30:00Z', '2026-12-01T17:30:00Z'), // 23:30 Tue 1 Dec in Vietnam
      s(2, '2026-12-01T17:30:00Z', '2026-12-01T18:30:00Z'), // 00:30 Wed 2 Dec in Vietnam (still 1 Dec in UTC)
      s(4, '2026-12-01T08:00:00+07:00', '2026-12-01T09:00:00+07:00'),
    ];
    const days = groupByDay(items);
    expect(days.map((d) => d.iso)).toEqual(['2026-12-01', '2026-12-02']);
    expect(days[0].items.map((x) => x.id)).toEqual([4, 1]);
    expect(days[1].items.map((x) => x.id)).toEqual([2, 3]);
  });
  it('gives no days for no sessions and leaves its input alone', () => {
    expect(groupByDay([])).toEqual([]);
    const items = [s(2, '2026-12-03T01:00:00Z', '2026-12-03T02:00:00Z'), s(1, '2026-12-02T01:00:00Z', '2026-12-02T02:00:00Z')];
    groupByDay(items);
    expect(items.map((x) => x.id)).toEqual([2, 1]);
  });
});

describe('twoWeeks and splitWeeks', () => {
  // Wednesday 2 Dec 2026, 06:30 in Vietnam (Tuesday 23:30 in UTC).
  const now = new Date('2026-12-01T23:30:00Z');

  it('asks from Monday 00:00 of this week to the Monday after next, in Vietnam', () => {
    const r = twoWeeks(now);
    expect(r.today).toBe('2026-12-02');
    expect(r.weekStart).toBe('2026-11-30');
    expect(r.weekEnd).toBe('2026-12-06');
    expect(r.nextStart).toBe('2026-12-07');
    expect(r.nextEnd).toBe('2026-12-13');
    expect(r.from).toBe('2026-11-30T00:00:00+07:00');
    expect(r.to).toBe('2026-12-14T00:00:00+07:00');
  });

  it('a Sunday belongs to the week that began six days before', () => {
    const r = twoWeeks(new Date('2026-12-06T16:59:00Z')); // Sunday 23:59 in Vietnam
    expect(r.today).toBe('2026-12-06');
    expect(r.weekStart).toBe('2026-11-30');
  });

  it('puts today, the other days of the week and next week apart', () => {
    const items = [
      s(1, '2026-11-30T10:00:00+07:00', '2026-11-30T11:00:00+07:00'), // Monday, past
      s(2, '2026-12-02T05:00:00+07:00', '2026-12-02T06:00:00+07:00'), // today, already over
      s(3, '2026-12-02T18:00:00+07:00', '2026-12-02T19:30:00+07:00'), // today, later
      s(4, '2026-12-06T08:00:00+07:00', '2026-12-06T09:00:00+07:00'), // Sunday
      s(5, '2026-12-07T08:00:00+07:00', '2026-12-07T09:00:00+07:00'), // next Monday
      s(6, '2026-12-13T20:00:00+07:00', '2026-12-13T21:00:00+07:00'), // next Sunday
      s(7, '2026-12-14T08:00:00+07:00', '2026-12-14T09:00:00+07:00'), // the week after: left out
    ];
    const w = splitWeeks(items, now);
    expect(w.today.map((x) => x.id)).toEqual([2, 3]);
    expect(w.week.map((d) => [d.iso, d.items.map((x) => x.id)])).toEqual([
      ['2026-11-30', [1]],
      ['2026-12-06', [4]],
    ]);
    expect(w.next.map((d) => [d.iso, d.items.map((x) => x.id)])).toEqual([
      ['2026-12-07', [5]],
      ['2026-12-13', [6]],
    ]);
  });
});

describe('upcoming and nextSession', () => {
  const now = new Date('2026-12-02T18:30:00+07:00');
  const items = [
    s(1, '2026-12-02T16:00:00+07:00', '2026-12-02T17:00:00+07:00'), // over
    s(3, '2026-12-03T08:00:00+07:00', '2026-12-03T09:00:00+07:00', 'cancelled'),
    s(4, '2026-12-04T08:00:00+07:00', '2026-12-04T09:00:00+07:00'),
    s(2, '2026-12-02T18:00:00+07:00', '2026-12-02T19:30:00+07:00'), // under way
  ];
  it('keeps the sessions not yet over, a session under way included, in order', () => {
    expect(upcoming(items, now).map((x) => x.id)).toEqual([2, 3, 4]);
    expect(isOngoing(items[3], now)).toBe(true);
    expect(isOngoing(items[0], now)).toBe(false);
  });
  it('the next session skips cancelled ones', () => {
    expect(nextSession(items, now)?.id).toBe(2);
    expect(nextSession(items, new Date('2026-12-02T20:00:00+07:00'))?.id).toBe(4);
    expect(nextSession(items, new Date('2026-12-05T00:00:00+07:00'))).toBeNull();
  });
});

describe('day names', () => {
  it('names today, tomorrow and yesterday, and nothing else', () => {
    expect(relativeDay('2026-12-02', '2026-12-02')).toBe('today');
    expect(relativeDay('2026-12-03', '2026-12-02')).toBe('tomorrow');
    expect(relativeDay('2026-12-01', '2026-12-02')).toBe('yesterday');
    expect(relativeDay('2026-12-04', '2026-12-02')).toBeNull();
    expect(relativeDay('2027-01-01', '2026-12-31')).toBe('tomorrow');
  });
  it('gives the weekday in Vietnamese and English, and dd/mm', () => {
    expect(weekdayName('2026-12-01')).toBe('Thứ Ba');
    expect(weekdayName('2026-12-06')).toBe('Chủ Nhật');
    expect(weekdayName('2026-12-01', 'en')).toBe('Tuesday');
    expect(shortDate('2026-12-01')).toBe('01/12');
  });
});
