// The attendance grid's layout helpers: sessions in time order as columns,
// held / to come / cancelled decided by the clock (a session marked before
// it starts counts as held, as the server's rate does), each learner's cells
// in column order, tallies of the held sessions, the layout for the width,
// which cells may be edited, a conflict's marks from the server's params,
// and the sessions a learner still needs.
import { describe, expect, it } from 'vitest';
import { columnState, conflictMarks, editable, layout, layoutFor, percentOf, sessionsToAttend, tally, type Grid } from '../src/routes/attendance/grid';

const session = (id: number, starts_at: string, status: 'scheduled' | 'cancelled' = 'scheduled') =>
  ({ id, class_id: 1, starts_at, ends_at: starts_at.replace('T08', 'T10'), status, mode: 'in_person' }) as unknown as Grid['sessions'][number];

const rate = (over: Partial<Grid['learners'][number]['rate']> = {}) => ({ planned: 4, held: 2, upcoming: 2, earned: 1, rate: 0.5, at_risk: null, ...over });

const now = new Date('2026-12-01T05:00:00Z'); // 12:00 in Vietnam

function grid(): Grid {
  return {
    class_id: 1,
    class_title: 'Lớp chè',
    centre_id: 3,
    completion_pct: 80,
    weights: { present: 1, late: 1, excused: 0, absent: 0 },
    editable: true,
    at_risk_count: 1,
    // Out of order on purpose; one cancelled, one still to come but already marked, one to come.
    sessions: [
      session(14, '2026-12-03T08:00:00+07:00'),
      session(11, '2026-11-24T08:00:00+07:00'),
      session(13, '2026-12-01T15:00:00+07:00'),
      session(12, '2026-11-26T08:00:00+07:00', 'cancelled'),
      session(10, '2026-11-23T08:00:00+07:00'),
    ],
    learners: [
      {
        person_id: 7, enrolment_id: 70, name: 'Nguyễn Văn An', enrolment_status: 'active',
        marks: [{ session_id: 10, status: 'absent', note: '', source: 'manual', version: 1 }],
        rate: rate({ earned: 0, rate: 0, at_risk: 'cannot_reach' }),
      },
      {
        person_id: 8, enrolment_id: 80, name: 'Lò Thị Thủy', enrolment_status: 'active',
        marks: [
          { session_id: 11, status: 'present', note: '', source: 'checkin', version: 1 },
          { session_id: 10, status: 'late', note: 'muộn', source: 'manual', version: 2 },
          { session_id: 13, status: 'present', note: '', source: 'manual', version: 1 },
        ],
        rate: rate({ held: 3, upcoming: 1, earned: 3, rate: 1 }),
      },
    ],
  } as Grid;
}

describe('columnState', () => {
  it('is cancelled, held once started, else to come', () => {
    expect(columnState({ status: 'cancelled', starts_at: '2026-11-01T08:00:00+07:00' }, now)).toBe('cancelled');
    expect(columnState({ status: 'scheduled', starts_at: '2026-12-01T12:00:00+07:00' }, now)).toBe('held');
    expect(columnState({ status: 'scheduled', starts_at: '2026-12-01T12:01:00+07:00' }, now)).toBe('upcoming');
  });
});

describe('layout', () => {
  it('orders the columns by time and states them, a marked session to come counting as held', () => {
    const l = layout(grid(), now);
    expect(l.columns.map((c) => [c.session.id, c.state])).toEqual([
      [10, 'held'], [11, 'held'], [12, 'cancelled'], [13, 'held'], [14, 'upcoming'],
    ]);
    expect([l.held, l.upcoming, l.cancelled, l.atRisk]).toEqual([3, 1, 1, 1]);
  });
  it('gives every learner a cell per column, in the server order, with the rate in whole percent', () => {
    const l = layout(grid(), now);
    expect(l.rows.map((r) => r.learner.name)).toEqual(['Nguyễn Văn An', 'Lò Thị Thủy']);
    expect(l.rows[0].cells.map((c) => c.mark?.status ?? null)).toEqual(['absent', null, null, null, null]);
    expect(l.rows[1].cells.map((c) => c.mark?.status ?? null)).toEqual(['late', 'present', null, 'present', null]);
    expect(l.rows[1].cells[1].mark?.source).toBe('checkin');
    expect(l.rows.map((r) => [r.percent, r.atRisk])).toEqual([[0, 'cannot_reach'], [100, null]]);
  });
  it('bears an empty grid', () => {
    const g = grid();
    g.sessions = [];
    g.learners = [];
    expect(layout(g, now)).toMatchObject({ columns: [], rows: [], held: 0, upcoming: 0, atRisk: 0 });
  });
});

describe('tally', () => {
  it('counts the held sessions only, the unmarked ones apart', () => {
    const [an, thuy] = layout(grid(), now).rows;
    expect(tally(an.cells)).toEqual({ present: 0, late: 0, excused: 0, absent: 1, unmarked: 2 });
    expect(tally(thuy.cells)).toEqual({ present: 2, late: 1, excused: 0, absent: 0, unmarked: 0 });
  });
});

describe('layoutFor and editable', () => {
  it('is a list on a phone and a table from 768 px', () => {
    expect(layoutFor(320)).toBe('list');
    expect(layoutFor(360)).toBe('list');
    expect(layoutFor(767)).toBe('list');
    expect(layoutFor(768)).toBe('table');
    expect(layoutFor(1280)).toBe('table');
  });
  it('lets held cells of an editable grid be edited, never the cancelled or those to come', () => {
    expect(editable({ editable: true }, { state: 'held' })).toBe(true);
    expect(editable({ editable: true }, { state: 'upcoming' })).toBe(false);
    expect(editable({ editable: true }, { state: 'cancelled' })).toBe(false);
    expect(editable({ editable: false }, { state: 'held' })).toBe(false);
  });
});

describe('conflictMarks', () => {
  const m = { row: 0, person_id: 7, status: 'late', note: 'x', version: 3, source: 'manual', marked_by: 5, marked_at: '2026-12-01T04:00:00Z', device: 'd' };
  it('reads the conflicting marks of an attendance_conflict', () => {
    expect(conflictMarks('attendance_conflict', { count: 1, marks: [m] })).toEqual([m]);
  });
  it('ignores other errors and malformed rows', () => {
    expect(conflictMarks('session_cancelled', { marks: [m] })).toEqual([]);
    expect(conflictMarks('attendance_conflict', { count: 1 })).toEqual([]);
    expect(conflictMarks('attendance_conflict', { marks: [{ ...m, status: 'gone' }, null, { ...m, person_id: '7' }] })).toEqual([]);
  });
});

describe('percentOf and sessionsToAttend', () => {
  it('rounds the rate to whole percent', () => {
    expect(percentOf(0.6667)).toBe(67);
    expect(percentOf(null)).toBeNull();
  });
  it('counts the sessions to come still needed for the threshold, null when out of reach', () => {
    // 10 planned, 0 earned of 2 held, 8 to come, 80 %: all 8 needed.
    expect(sessionsToAttend({ planned: 10, held: 2, upcoming: 8, earned: 0, rate: 0, at_risk: 'miss_next' }, 80)).toBe(8);
    expect(sessionsToAttend({ planned: 10, held: 4, upcoming: 6, earned: 3, rate: 0.75, at_risk: null }, 80)).toBe(5);
    expect(sessionsToAttend({ planned: 10, held: 4, upcoming: 6, earned: 1, rate: 0.25, at_risk: 'cannot_reach' }, 80)).toBeNull();
    expect(sessionsToAttend({ planned: 10, held: 9, upcoming: 1, earned: 9, rate: 1, at_risk: null }, 80)).toBe(0);
  });
});
