import { describe, expect, it } from 'vitest';
import { formatBirth, formatBytes, formatDate, formatDateTime, formatNumber, formatTime, parseBirth, vietnamDay, vietnamWeek } from '../src/lib/format';

describe('Vietnamese formatting', () => {
  it('writes dates as dd/mm/yyyy in Vietnam time', () => {
    // 20:30 UTC on 26 Nov is already 27 Nov in Vietnam (UTC+7).
    expect(formatDate(new Date('2026-11-26T20:30:00Z'))).toBe('27/11/2026');
    expect(formatDate('2026-11-26T16:59:00Z')).toBe('26/11/2026');
    expect(formatDate('2026-11-26T17:00:00Z')).toBe('27/11/2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('shows a calendar date as written, with no time-zone shift', () => {
    expect(formatDate('1985-03-05')).toBe('05/03/1985');
  });

  it('writes times on a 24-hour clock in Vietnam time', () => {
    expect(formatTime('2026-11-27T07:05:00Z')).toBe('14:05');
    expect(formatTime('2026-11-26T17:00:00Z')).toBe('00:00');
    expect(formatDateTime('2026-11-27T07:05:00Z')).toBe('14:05 27/11/2026');
    expect(formatDateTime(undefined)).toBe('');
  });

  it('groups thousands with dots and uses a decimal comma', () => {
    expect(formatNumber(1234567)).toBe('1.234.567');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('');
  });

  it('shows a birth date, or only the year when that is all we know', () => {
    expect(formatBirth({ birth_date: '1960-01-31', birth_year: null })).toBe('31/01/1960');
    expect(formatBirth({ birth_date: null, birth_year: 1960 })).toBe('1960');
    expect(formatBirth({ birth_date: null, birth_year: null })).toBe('');
  });

  it('knows the day and the week in Vietnam', () => {
    // Sunday 29 Nov 2026, 18:00 UTC = Monday 30 Nov 01:00 in Vietnam.
    expect(vietnamDay(new Date('2026-11-29T18:00:00Z'))).toEqual({ iso: '2026-11-30', weekday: 1 });
    expect(vietnamWeek(new Date('2026-11-29T18:00:00Z'))).toEqual({ start: '2026-11-30', end: '2026-12-06' });
    expect(vietnamWeek(new Date('2026-11-29T10:00:00Z'))).toEqual({ start: '2026-11-23', end: '2026-11-29' });
  });

  it('turns the day at midnight in Vietnam, not UTC (the default date of a new unit)', () => {
    // 23:59 and 00:01 in Vietnam: 16:59 and 17:01 UTC, the same UTC date.
    expect(vietnamDay(new Date('2026-12-01T16:59:00Z'))).toEqual({ iso: '2026-12-01', weekday: 2 });
    expect(vietnamDay(new Date('2026-12-01T17:01:00Z'))).toEqual({ iso: '2026-12-02', weekday: 3 });
    // A year's end.
    expect(vietnamDay(new Date('2026-12-31T17:01:00Z')).iso).toBe('2027-01-01');
  });
});

describe('parseBirth', () => {
  it('reads dd/mm/yyyy, with one-digit parts and other separators', () => {
    expect(parseBirth('15/03/1985')).toEqual({ birth_date: '1985-03-15', birth_year: null });
    expect(parseBirth(' 5/3/1985 ')).toEqual({ birth_date: '1985-03-05', birth_year: null });
    expect(parseBirth('05-03-1985')).toEqual({ birth_date: '1985-03-05', birth_year: null });
    expect(parseBirth('05.03.1985')).toEqual({ birth_date: '1985-03-05', birth_year: null });
  });

  it('reads a year alone', () => {
    expect(parseBirth('1958')).toEqual({ birth_date: null, birth_year: 1958 });
  });

  it('treats empty as unknown and refuses what is not a date', () => {
    expect(parseBirth('')).toEqual({ birth_date: null, birth_year: null });
    expect(parseBirth('31/02/1990')).toBeNull();
    expect(parseBirth('1990-02-01')).toBeNull();
    expect(parseBirth('15/13/1990')).toBeNull();
    expect(parseBirth('abc')).toBeNull();
  });

  it('writes file sizes the Vietnamese way', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(250 * 1024)).toBe('250 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1,5 MB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatBytes(null)).toBe('');
  });
});
