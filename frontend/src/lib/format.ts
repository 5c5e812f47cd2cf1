// Dates, times and numbers the Vietnamese way, in Vietnam's time zone,
// whatever the device's own settings: 27/11/2026, 14:05, 1.234.567.

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const numberFmt = new Intl.NumberFormat('vi-VN');
const partsFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
});

function toDate(v: Date | string | number): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

const calendarDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date as dd/mm/yyyy. A calendar date ("2026-11-27", as in birth_date) is
 * shown as written; an instant is shown as the day it is in Vietnam.
 */
export function formatDate(v: Date | string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') {
    const m = calendarDate.exec(v);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = toDate(v);
  return d ? dateFmt.format(d) : '';
}

/** A time of day as HH:mm (24-hour) in Vietnam. */
export function formatTime(v: Date | string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const d = toDate(v);
  return d ? timeFmt.format(d) : '';
}

/** An instant as "HH:mm dd/mm/yyyy", the order Vietnamese forms use. */
export function formatDateTime(v: Date | string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const d = toDate(v);
  return d ? `${timeFmt.format(d)} ${dateFmt.format(d)}` : '';
}

/** A number with Vietnamese separators: 1.234.567,5. */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  return numberFmt.format(n);
}

/** A person's birth as the API gives it: the full date when known, else the year. */
export function formatBirth(p: { birth_date: string | null; birth_year: number | null }): string {
  if (p.birth_date) return formatDate(p.birth_date);
  return p.birth_year ? String(p.birth_year) : '';
}

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** The calendar day in Vietnam for an instant: "yyyy-mm-dd" and the weekday (0 = Sunday). */
export function vietnamDay(v: Date | number = new Date()): { iso: string; weekday: Weekday } {
  const parts = Object.fromEntries(partsFmt.formatToParts(toDate(v) ?? new Date()).map((p) => [p.type, p.value]));
  const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return { iso: `${parts.year}-${parts.month}-${parts.day}`, weekday: names.indexOf(parts.weekday) as Weekday };
}

/** Monday and Sunday ("yyyy-mm-dd") of the week holding the given instant, in Vietnam. */
export function vietnamWeek(v: Date | number = new Date()): { start: string; end: string } {
  const { iso, weekday } = vietnamDay(v);
  const [y, m, d] = iso.split('-').map(Number);
  const base = Date.UTC(y, m - 1, d);
  const offset = (weekday + 6) % 7; // days since Monday
  const day = 86_400_000;
  const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: fmt(base - offset * day), end: fmt(base + (6 - offset) * day) };
}

export type BirthInput = { birth_date: string | null; birth_year: number | null };

/**
 * Reads what a person typed as a birth date: "dd/mm/yyyy" (also with - or .,
 * one-digit day or month) or just a year "yyyy". Returns null when it cannot be
 * read as either; an empty input means "not known".
 */
export function parseBirth(input: string): BirthInput | null {
  const s = input.trim();
  if (!s) return { birth_date: null, birth_year: null };
  if (/^\d{4}$/.test(s)) return { birth_date: null, birth_year: Number(s) };
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { birth_date: `${year}-${pad(month)}-${pad(day)}`, birth_year: null };
}

const sizeUnits = ['B', 'KB', 'MB', 'GB'];

/** A file size for people: "850 KB", "1,2 MB" (1 KB = 1024 B; one decimal under 10). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !(n >= 0)) return '';
  let i = 0;
  while (n >= 1024 && i < sizeUnits.length - 1) {
    n /= 1024;
    i++;
  }
  return `${numberFmt.format(i && n < 10 ? Math.round(n * 10) / 10 : Math.round(n))} ${sizeUnits[i]}`;
}
