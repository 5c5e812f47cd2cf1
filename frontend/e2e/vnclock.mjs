// Vietnam's clock for the browser tests (Asia/Ho_Chi_Minh, UTC+7 all year:
// no daylight saving). Every function takes the instant it works from, so
// that vnclock.test.mjs can try it at the awkward hours (23:59, 00:01, the
// demo teacher's sessions) whatever the machine's clock says.

const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const VN_OFFSET = 7 * HOUR;

const ms = (now) => (now instanceof Date ? now.getTime() : now);

/** The civil date in Vietnam n days from the day of `now`, yyyy-mm-dd. */
export function vnDate(n = 0, now = Date.now()) {
  const local = new Date(ms(now) + VN_OFFSET);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + n)).toISOString().slice(0, 10);
}

/** Monday of the week of `now` in Vietnam, yyyy-mm-dd. */
export function vnMonday(now = Date.now()) {
  const weekday = new Date(vnDate(0, now) + 'T00:00:00Z').getUTCDay(); // 0 Sunday
  return vnDate(-((weekday + 6) % 7), now);
}

/** An instant at a local time on a civil date in Vietnam. */
export const vnAt = (date, hhmm) => `${date}T${hhmm}:00+07:00`;

/** The instant (ms) of the next midnight in Vietnam after `now`. */
export function vnNextMidnight(now = Date.now()) {
  return Date.parse(vnAt(vnDate(1, now), '00:00'));
}

/** hh:mm in Vietnam of an instant. */
export function vnClock(now = Date.now()) {
  return new Date(ms(now) + VN_OFFSET).toISOString().slice(11, 16);
}

/**
 * A session under way at `now` that stays within one civil day in Vietnam:
 * from `before` minutes ago (not before today's midnight) for `after`
 * minutes more (not past tonight's). Answers { date, startsAt, endsAt }
 * (ISO instants), or null when fewer than `min` minutes are left of the day
 * (wait with clearOfMidnight first).
 */
export function sessionUnderWay(now = Date.now(), { before = 5, after = 55, min = 10 } = {}) {
  const t = ms(now);
  const midnight = Date.parse(vnAt(vnDate(0, t), '00:00'));
  const next = vnNextMidnight(t);
  if (next - t < min * 60_000) return null;
  const from = Math.max(t - before * 60_000, midnight);
  const to = Math.min(t + after * 60_000, next - 60_000);
  return { date: vnDate(0, t), startsAt: new Date(from).toISOString(), endsAt: new Date(to).toISOString() };
}

/**
 * How long to wait (ms) so that at least `minutes` of the day in Vietnam are
 * left: 0 when there are, else until a few seconds past midnight.
 */
export function waitForDay(minutes, now = Date.now()) {
  const left = vnNextMidnight(now) - ms(now);
  return left >= minutes * 60_000 ? 0 : left + 5_000;
}

/**
 * Waits, when a spec that reads "today" (or "tomorrow") in Vietnam could
 * run across midnight, until the new day has begun. A spec calls it before
 * it makes its data, with how many minutes it needs.
 */
export async function clearOfMidnight(minutes = 5) {
  const wait = waitForDay(minutes);
  if (wait > 0) {
    console.log(`vnclock: ${Math.ceil(wait / 1000)} s to midnight in Vietnam; waiting for the new day`);
    await new Promise((r) => setTimeout(r, wait));
  }
}
