// The attendance grid's layout, as pure functions of the API's answers and
// the clock (tests pin both): which sessions are columns and in what state
// (held, to come, cancelled), each learner's cells and their rate as
// people read it, the layout for the screen's width, and a stale edit's
// conflict as the server names it.

import type { components } from '../../lib/api.gen';

type S = components['schemas'];
export type Grid = S['AttendanceGrid'];
export type GridLearner = S['AttendanceGridLearner'];
export type Cell = S['AttendanceCell'];
export type Rate = S['AttendanceRate'];
export type Session = S['Session'];
export type Status = Cell['status'];
export type Source = Cell['source'];
export type AttendanceEvent = S['AttendanceEvent'];
export type Weights = S['AttendanceWeights'];
export type MyClass = S['MyAttendanceClass'];
export type MySession = S['MyAttendanceSession'];

export const STATUSES: readonly Status[] = ['present', 'late', 'excused', 'absent'];

/** A session's state for the grid: held (started, or marked), still to come, or cancelled. */
export type ColumnState = 'held' | 'upcoming' | 'cancelled';

export interface Column {
  session: Session;
  state: ColumnState;
}

export interface GridCell {
  session: Session;
  state: ColumnState;
  /** The mark (null: unmarked). */
  mark: Cell | null;
}

export interface Row {
  learner: GridLearner;
  cells: GridCell[];
  /** The rate as a whole percent, null before any session was held. */
  percent: number | null;
  atRisk: Rate['at_risk'];
}

export interface Layout {
  columns: Column[];
  rows: Row[];
  /** Counts of the columns by state. */
  held: number;
  upcoming: number;
  cancelled: number;
  atRisk: number;
}

/** A session's state at `now`: cancelled, held once it has started, else to come. */
export function columnState(s: Pick<Session, 'status' | 'starts_at'>, now: Date): ColumnState {
  if (s.status === 'cancelled') return 'cancelled';
  return Date.parse(s.starts_at) <= now.getTime() ? 'held' : 'upcoming';
}

/** A rate (0–1) as a whole percent; null stays null. */
export function percentOf(rate: number | null | undefined): number | null {
  return rate === null || rate === undefined ? null : Math.round(rate * 100);
}

/**
 * The grid laid out: sessions in time order as columns, each learner (in the
 * server's Vietnamese order, at-risk ones kept in place) with a cell per
 * session. A marked session that has not started counts as held, as the
 * server's rate counts it.
 */
export function layout(g: Grid, now: Date): Layout {
  const sessions = [...(g.sessions ?? [])].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at) || a.id - b.id);
  const marked = new Set<number>();
  for (const l of g.learners ?? []) for (const m of l.marks ?? []) marked.add(m.session_id);
  const columns: Column[] = sessions.map((s) => {
    const state = columnState(s, now);
    return { session: s, state: state === 'upcoming' && marked.has(s.id) ? 'held' : state };
  });
  const rows: Row[] = (g.learners ?? []).map((l) => {
    const bySession = new Map((l.marks ?? []).map((m) => [m.session_id, m]));
    return {
      learner: l,
      cells: columns.map((c) => ({ session: c.session, state: c.state, mark: bySession.get(c.session.id) ?? null })),
      percent: percentOf(l.rate.rate),
      atRisk: l.rate.at_risk ?? null,
    };
  });
  return {
    columns,
    rows,
    held: columns.filter((c) => c.state === 'held').length,
    upcoming: columns.filter((c) => c.state === 'upcoming').length,
    cancelled: columns.filter((c) => c.state === 'cancelled').length,
    atRisk: rows.filter((r) => r.atRisk).length,
  };
}

/** A learner's held cells counted by status, and the held sessions left unmarked. */
export function tally(cells: readonly GridCell[]): Record<Status | 'unmarked', number> {
  const out = { present: 0, late: 0, excused: 0, absent: 0, unmarked: 0 };
  for (const c of cells) {
    if (c.state !== 'held') continue;
    if (c.mark) out[c.mark.status]++;
    else out.unmarked++;
  }
  return out;
}

/** A table on wide screens; on a phone (under 48rem, 768 px at the default size) one card per learner. */
export type LayoutKind = 'table' | 'list';
export const WIDE_MIN_PX = 768;
export function layoutFor(widthPx: number): LayoutKind {
  return widthPx >= WIDE_MIN_PX ? 'table' : 'list';
}

/** Whether a cell may be edited: a held session (not cancelled, started or marked) of an editable grid. */
export function editable(g: Pick<Grid, 'editable'>, c: Pick<GridCell, 'state'>): boolean {
  return g.editable && c.state === 'held';
}

/** One conflicting mark as a 409 attendance_conflict names it (params.marks). */
export interface ConflictMark {
  row: number;
  person_id: number;
  status: Status;
  note: string;
  version: number;
  source: Source;
  marked_by: number | null;
  marked_at: string;
  device: string;
}

/** The conflicting marks of an error's params (empty when it is not such a conflict). */
export function conflictMarks(key: string | undefined, detail: unknown): ConflictMark[] {
  const marks = typeof detail === 'object' && detail !== null ? (detail as { marks?: unknown }).marks : undefined;
  if (key !== 'attendance_conflict' || !Array.isArray(marks)) return [];
  return (marks as unknown[]).filter((m): m is ConflictMark => {
    const x = m as ConflictMark;
    return !!x && typeof x.person_id === 'number' && typeof x.version === 'number' && STATUSES.includes(x.status);
  });
}

/** What a learner still needs, for the kind note: sessions to come that they should attend (null when fine or out of reach). */
export function sessionsToAttend(rate: Rate, thresholdPct: number, best = 1): number | null {
  if (rate.planned === 0 || thresholdPct <= 0 || best <= 0) return null;
  const need = (thresholdPct / 100) * rate.planned - rate.earned;
  if (need <= 0) return 0;
  const n = Math.ceil(need / best - 1e-9);
  return n > rate.upcoming ? null : n;
}
