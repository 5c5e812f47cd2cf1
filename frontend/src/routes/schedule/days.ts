// Sessions as people read a timetable: by day in Vietnam (whatever the
// device's zone), today first, this week and the next, with the day's name.
// Pure functions of the instants and "now", so that tests can pin the clock.

import { vietnamDay, vietnamWeek } from '../../lib/format';

/** What the helpers need of a session. */
export interface Timed {
  starts_at: string;
  ends_at: string;
}

export interface Day<T> {
  /** The calendar day in Vietnam, yyyy-mm-dd. */
  iso: string;
  items: T[];
}

const DAY_MS = 86_400_000;

/** The day after (or n days after) a yyyy-mm-dd civil date. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight at the start of a civil date in Vietnam, as an RFC 3339 instant (+07:00, no daylight saving). */
export function vietnamMidnight(iso: string): string {
  return `${iso}T00:00:00+07:00`;
}

/** The sessions sorted by start, grouped by their day in Vietnam; days in order. */
export function groupByDay<T extends Timed>(items: readonly T[]): Day<T>[] {
  const sorted = [...items].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at) || Date.parse(a.ends_at) - Date.parse(b.ends_at));
  const days: Day<T>[] = [];
  for (const s of sorted) {
    const iso = vietnamDay(new Date(s.starts_at)).iso;
    const last = days[days.length - 1];
    if (last && last.iso === iso) last.items.push(s);
    else days.push({ iso, items: [s] });
  }
  return days;
}

/** The range of days the teacher's page asks for: Monday of this week to the Monday after next (two weeks). */
export function twoWeeks(now: Date = new Date()): { from: string; to: string; today: string; weekStart: string; weekEnd: string; nextStart: string; nextEnd: string } {
  const today = vietnamDay(now).iso;
  const { start, end } = vietnamWeek(now);
  const nextStart = addDays(start, 7);
  return {
    from: vietnamMidnight(start),
    to: vietnamMidnight(addDays(start, 14)),
    today,
    weekStart: start,
    weekEnd: end,
    nextStart,
    nextEnd: addDays(start, 13),
  };
}

export interface WeekSplit<T> {
  /** Today's sessions, also those already over. */
  today: T[];
  /** The other days of this week (Monday to Sunday), before and after today. */
  week: Day<T>[];
  /** The days of next week. */
  next: Day<T>[];
}

/** Splits sessions into today, the rest of this week and next week (in Vietnam); others are left out. */
export function splitWeeks<T extends Timed>(items: readonly T[], now: Date = new Date()): WeekSplit<T> {
  const r = twoWeeks(now);
  const out: WeekSplit<T> = { today: [], week: [], next: [] };
  for (const d of groupByDay(items)) {
    if (d.iso === r.today) out.today = d.items;
    else if (d.iso >= r.weekStart && d.iso <= r.weekEnd) out.week.push(d);
    else if (d.iso >= r.nextStart && d.iso <= r.nextEnd) out.next.push(d);
  }
  return out;
}

/** The sessions not yet over at `now` (a session under way counts), in order. */
export function upcoming<T extends Timed>(items: readonly T[], now: Date = new Date()): T[] {
  const t = now.getTime();
  return [...items].filter((s) => Date.parse(s.ends_at) > t).sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
}

/** The first session not yet over that is not cancelled, or null. */
export function nextSession<T extends Timed & { status?: string }>(items: readonly T[], now: Date = new Date()): T | null {
  return upcoming(items, now).find((s) => s.status !== 'cancelled') ?? null;
}

/** Whether a session is under way at `now`. */
export function isOngoing(s: Timed, now: Date = new Date()): boolean {
  const t = now.getTime();
  return Date.parse(s.starts_at) <= t && t < Date.parse(s.ends_at);
}

/** How a day is named relative to today: "today", "tomorrow", "yesterday", or null for any other day. */
export function relativeDay(iso: string, today: string): 'today' | 'tomorrow' | 'yesterday' | null {
  if (iso === today) return 'today';
  if (iso === addDays(today, 1)) return 'tomorrow';
  if (iso === addDays(today, -1)) return 'yesterday';
  return null;
}

const weekdayFmt = {
  vi: new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }),
};

/** The weekday's name of a civil date: "Thứ Ba" / "Tuesday" (capitalised). */
export function weekdayName(iso: string, lang: 'vi' | 'en' = 'vi'): string {
  const [y, m, d] = iso.split('-').map(Number);
  const s = weekdayFmt[lang].format(new Date(Date.UTC(y, m - 1, d)));
  return s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);
}

/** A civil date as dd/mm. */
export function shortDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}`;
}

/** The day in Vietnam (yyyy-mm-dd) of an instant given as text. */
export function vietnamDayOf(instant: string): string {
  return vietnamDay(new Date(instant)).iso;
}
