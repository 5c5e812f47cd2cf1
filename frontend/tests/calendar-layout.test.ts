// The manager's calendar layout: week grid by venue or teacher, the phone's
// day list and the month grid, with days taken in Vietnam's time zone.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayList,
  dayOf,
  isoWeekday,
  monthGrid,
  monthRange,
  rangeInstants,
  today,
  weekDays,
  weekGrid,
  weekStart,
  type CalSession,
} from '../src/routes/classes/calendarLayout';

let next = 1;
function s(starts: string, o: Partial<CalSession> = {}): CalSession {
  return {
    id: next++,
    starts_at: starts,
    ends_at: starts,
    mode: 'in_person',
    venue_id: 1,
    venue_name: 'Nhà văn hoá tổ 5',
    teacher_id: 10,
    teacher_name: 'Lò Văn Minh',
    status: 'scheduled',
    ...o,
  };
}
const labels = { online: 'Trực tuyến', none: 'Chưa có giáo viên' };

describe('days', () => {
  it('counts weekdays from Monday and finds the week of a day', () => {
    expect(isoWeekday('2026-12-07')).toBe(1); // a Monday
    expect(isoWeekday('2026-12-13')).toBe(7);
    expect(weekStart('2026-12-13')).toBe('2026-12-07');
    expect(weekStart('2026-12-07')).toBe('2026-12-07');
    expect(weekStart('2027-01-01')).toBe('2026-12-28'); // across the year
    expect(weekDays('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
  });

  it("places a session on the day it starts in Vietnam, not the device's", () => {
    // 17:30 UTC on Sunday is 00:30 on Monday in Vietnam.
    expect(dayOf({ starts_at: '2026-12-06T17:30:00Z' })).toBe('2026-12-07');
    expect(dayOf({ starts_at: '2026-12-07T18:30:00+07:00' })).toBe('2026-12-07');
    expect(today(new Date('2026-12-06T17:30:00Z'))).toEqual({ day: '2026-12-07', week: '2026-12-07' });
  });

  it('bounds a range of days by instants at midnight in Vietnam', () => {
    expect(rangeInstants('2026-12-07', '2026-12-13')).toEqual({ from: '2026-12-07T00:00:00+07:00', to: '2026-12-14T00:00:00+07:00' });
  });
});

describe('week grid', () => {
  const week = [
    s('2026-12-09T18:30:00+07:00', { venue_id: 2, venue_name: 'Trường tiểu học Đông Phong', teacher_id: 11, teacher_name: 'Vàng Thị Ánh' }),
    s('2026-12-07T18:30:00+07:00'),
    s('2026-12-07T07:30:00+07:00'),
    s('2026-12-08T18:30:00+07:00', { mode: 'online', venue_id: null, venue_name: '', teacher_id: null, teacher_name: '' }),
    s('2026-12-14T18:30:00+07:00'), // next week
    s('2026-12-06T10:00:00+07:00'), // last week
  ];

  it('makes a row per venue, online last, each day in start order', () => {
    const rows = weekGrid(week, '2026-12-07', 'venue', labels);
    expect(rows.map((r) => r.label)).toEqual(['Nhà văn hoá tổ 5', 'Trường tiểu học Đông Phong', 'Trực tuyến']);
    expect(rows[0].cells.map((c) => c.length)).toEqual([2, 0, 0, 0, 0, 0, 0]);
    expect(rows[0].cells[0].map((x) => x.starts_at)).toEqual(['2026-12-07T07:30:00+07:00', '2026-12-07T18:30:00+07:00']);
    expect(rows[1].cells[2]).toHaveLength(1);
    expect(rows[2].key).toBe('online');
    expect(rows[2].cells[1]).toHaveLength(1);
  });

  it('makes a row per teacher, sorted by Vietnamese name, the sessions without a teacher last', () => {
    const rows = weekGrid(week, '2026-12-07', 'teacher', labels);
    // Ánh before Minh: the sort is by the whole name the Vietnamese way (L < V).
    expect(rows.map((r) => r.label)).toEqual(['Lò Văn Minh', 'Vàng Thị Ánh', 'Chưa có giáo viên']);
    expect(rows.flatMap((r) => r.cells.flat())).toHaveLength(4);
  });

  it('is empty for a week without sessions', () => {
    expect(weekGrid(week, '2027-01-04', 'venue', labels)).toEqual([]);
  });
});

describe('day list', () => {
  const list = [
    s('2026-12-09T18:30:00+07:00', { status: 'cancelled' }),
    s('2026-12-07T18:30:00+07:00'),
    s('2026-12-07T07:30:00+07:00'),
    s('2026-12-20T07:30:00+07:00'),
  ];

  it('lists only the days with sessions, in order, and marks today', () => {
    const days = dayList(list, '2026-12-07', '2026-12-13', '2026-12-09');
    expect(days.map((d) => [d.day, d.today, d.sessions.length])).toEqual([
      ['2026-12-07', false, 2],
      ['2026-12-09', true, 1],
    ]);
    expect(days[0].sessions[0].starts_at).toBe('2026-12-07T07:30:00+07:00');
    expect(days[1].sessions[0].status).toBe('cancelled'); // cancelled ones stay listed
  });

  it('keeps today in the list even when it is free', () => {
    const days = dayList(list, '2026-12-07', '2026-12-13', '2026-12-08');
    expect(days.map((d) => d.day)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09']);
    expect(days[1]).toEqual({ day: '2026-12-08', today: true, sessions: [] });
  });
});

describe('month grid', () => {
  it('covers the month with whole Monday-first weeks', () => {
    // December 2026: the 1st is a Tuesday, the 31st a Thursday.
    expect(monthRange('2026-12')).toEqual({ from: '2026-11-30', to: '2027-01-03', first: '2026-12-01', last: '2026-12-31' });
    const weeks = monthGrid([], '2026-12', '2026-12-01');
    expect(weeks).toHaveLength(5);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks[0][0]).toMatchObject({ day: '2026-11-30', inMonth: false });
    expect(weeks[0][1]).toMatchObject({ day: '2026-12-01', inMonth: true, today: true });
    expect(weeks[4][6]).toMatchObject({ day: '2027-01-03', inMonth: false });
    // February 2027 starts on a Monday and ends on a Sunday: four weeks exactly.
    expect(monthGrid([], '2027-02', '')).toHaveLength(4);
  });

  it("puts each session on its day's square", () => {
    const weeks = monthGrid([s('2026-12-16T18:30:00+07:00'), s('2026-12-16T07:00:00+07:00'), s('2026-11-30T09:00:00+07:00')], '2026-12', '');
    const wed = weeks[2][2];
    expect(wed.day).toBe('2026-12-16');
    expect(wed.sessions.map((x) => x.starts_at)).toEqual(['2026-12-16T07:00:00+07:00', '2026-12-16T18:30:00+07:00']);
    expect(weeks[0][0].sessions).toHaveLength(1); // the days around the month are filled too
  });
});
