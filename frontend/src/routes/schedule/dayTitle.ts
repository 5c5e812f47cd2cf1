// A day's heading in the current language: "Hôm nay · Thứ Ba, 01/12/2026".

import { formatDate, formatTime } from '../../lib/format';
import { relativeDay, weekdayName, vietnamDayOf } from './days';
import { lang, st } from './i18n';

export function dayTitle(iso: string, today: string): string {
  const weekday = weekdayName(iso, lang());
  const date = formatDate(iso);
  const rel = relativeDay(iso, today);
  return rel ? st('day.relative', { rel: st(`day.${rel}`), weekday, date }) : st('day.label', { weekday, date });
}

/** A session's time span: "18:00–19:30". */
export function timeSpan(s: { starts_at: string; ends_at: string }): string {
  return st('session.time', { from: formatTime(s.starts_at), to: formatTime(s.ends_at) });
}

/** When a session is, in one line: "Ngày mai · Thứ Tư, 02/12/2026, 18:00–19:30". */
export function whenText(s: { starts_at: string; ends_at: string }, today: string): string {
  return `${dayTitle(vietnamDayOf(s.starts_at), today)}, ${timeSpan(s)}`;
}

/** When something starts, in one line: "Thứ Tư, 02/12/2026, 18:00". */
export function startText(instant: string, today: string): string {
  return `${dayTitle(vietnamDayOf(instant), today)}, ${formatTime(instant)}`;
}
