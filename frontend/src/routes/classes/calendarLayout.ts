// The manager's calendar laid out from a list of sessions: a week grid (one
// row per venue or teacher, one column per day), a day list (for phones and
// for the month on a phone) and a month grid (Monday-first weeks). Days are
// civil dates ("yyyy-mm-dd") in Vietnam; sessions are placed by the day they
// start on in Asia/Ho_Chi_Minh, whatever the device's zone.

import { compareVi } from '../../lib/collation';
import { vietnamDay, vietnamWeek } from '../../lib/format';

/** The fields of a session the layout needs (the API's Session has them all). */
export interface CalSession {
  id: number;
  starts_at: string;
  ends_at: string;
  mode: 'in_person' | 'online';
  venue_id: number | null;
  venue_name: string;
  teacher_id: number | null;
  teacher_name: string;
  status: 'scheduled' | 'cancelled';
}

export type GroupBy = 'venue' | 'teacher';

const DAY_MS = 86_400_000;

function toUtc(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** iso plus n days. */
export function addDays(iso: string, n: number): string {
  return fmt(toUtc(iso) + n * DAY_MS);
}

/** ISO weekday of a civil date: 1 Monday … 7 Sunday. */
export function isoWeekday(iso: string): number {
  return ((new Date(toUtc(iso)).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the week holding iso. */
export function weekStart(iso: string): string {
  return addDays(iso, 1 - isoWeekday(iso));
}

/** Today in Vietnam and the Monday of this week. */
export function today(now: Date | number = new Date()): { day: string; week: string } {
  return { day: vietnamDay(now).iso, week: vietnamWeek(now).start };
}

/** The seven days of the week starting at monday. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The civil day in Vietnam a session starts on. */
export function dayOf(s: Pick<CalSession, 'starts_at'>): string {
  return vietnamDay(new Date(s.starts_at)).iso;
}

/** The instants bounding days from..to (inclusive) in Vietnam (UTC+7, no daylight saving). */
export function rangeInstants(from: string, to: string): { from: string; to: string } {
  return { from: `${from}T00:00:00+07:00`, to: `${addDays(to, 1)}T00:00:00+07:00` };
}

const byStart = (a: CalSession, b: CalSession) => a.starts_at.localeCompare(b.starts_at) || a.id - b.id;

export interface GridRow<S extends CalSession> {
  /** "v12", "t7", "online" (online sessions have no venue) or "none" (no teacher). */
  key: string;
  label: string;
  /** One list per day of the week, in start order. */
  cells: S[][];
}

/**
 * The week grid: a row per venue (online sessions in their own row) or per
 * teacher (sessions without one in their own row), named rows sorted the
 * Vietnamese way with the unnamed row last; only rows with a session that
 * week. Sessions outside the week are left out.
 */
export function weekGrid<S extends CalSession>(sessions: readonly S[], monday: string, by: GroupBy, labels: { online: string; none: string }): GridRow<S>[] {
  const days = weekDays(monday);
  const rows = new Map<string, GridRow<S>>();
  for (const s of [...sessions].sort(byStart)) {
    const col = days.indexOf(dayOf(s));
    if (col < 0) continue;
    let key: string;
    let label: string;
    if (by === 'venue') {
      [key, label] = s.mode === 'online' || !s.venue_id ? ['online', labels.online] : ['v' + s.venue_id, s.venue_name];
    } else {
      [key, label] = s.teacher_id ? ['t' + s.teacher_id, s.teacher_name] : ['none', labels.none];
    }
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, label, cells: days.map(() => []) }));
    row.cells[col].push(s);
  }
  const special = (k: string) => k === 'online' || k === 'none';
  return [...rows.values()].sort((a, b) => Number(special(a.key)) - Number(special(b.key)) || compareVi(a.label, b.label));
}

export interface DayGroup<S extends CalSession> {
  day: string;
  today: boolean;
  sessions: S[];
}

/**
 * The day list: the days from..to (inclusive) that hold sessions, each with
 * its sessions in start order; today is marked and always listed (empty if
 * free) when it falls in the range, so the phone shows where "now" is.
 */
export function dayList<S extends CalSession>(sessions: readonly S[], from: string, to: string, todayIso: string): DayGroup<S>[] {
  const groups = new Map<string, S[]>();
  for (const s of [...sessions].sort(byStart)) {
    const d = dayOf(s);
    if (d < from || d > to) continue;
    (groups.get(d) ?? groups.set(d, []).get(d)!).push(s);
  }
  if (todayIso >= from && todayIso <= to && !groups.has(todayIso)) groups.set(todayIso, []);
  return [...groups.keys()].sort().map((day) => ({ day, today: day === todayIso, sessions: groups.get(day)! }));
}

export interface MonthDay<S extends CalSession> {
  day: string;
  inMonth: boolean;
  today: boolean;
  sessions: S[];
}

/** The first and last day shown for a month ("yyyy-mm"): Monday before the 1st to Sunday after the last. */
export function monthRange(month: string): { from: string; to: string; first: string; last: string } {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const last = fmt(Date.UTC(y, m, 1) - DAY_MS);
  const from = weekStart(first);
  const to = addDays(weekStart(last), 6);
  return { from, to, first, last };
}

/** The month grid: whole weeks (rows of seven days, Monday first) covering the month, with each day's sessions. */
export function monthGrid<S extends CalSession>(sessions: readonly S[], month: string, todayIso: string): MonthDay<S>[][] {
  const { from, to, first, last } = monthRange(month);
  const byDay = new Map<string, S[]>();
  for (const s of [...sessions].sort(byStart)) {
    const d = dayOf(s);
    (byDay.get(d) ?? byDay.set(d, []).get(d)!).push(s);
  }
  const weeks: MonthDay<S>[][] = [];
  for (let d = from; d <= to; d = addDays(d, 7)) {
    weeks.push(weekDays(d).map((day) => ({ day, inMonth: day >= first && day <= last, today: day === todayIso, sessions: byDay.get(day) ?? [] })));
  }
  return weeks;
}

/** "yyyy-mm" plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
