// Set-up for the class screens' browser tests: calls to the API as a demo
// account (the tests then check what the screens show).
import { BASE_URL, apiGet, apiToken } from './helpers.mjs';

/** method path body → { status, body } (no throw: tests assert the status). */
export async function apiSend(token, method, path, body) {
  const res = await fetch(BASE_URL + '/api/v1' + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The demo manager's token, centre and one of its published courses. */
export async function managerWorld(account) {
  const token = await apiToken(account);
  const me = await apiGet(token, '/me');
  const centre = me.roles.find((g) => g.role === 'manager' && g.centre_id).centre_id;
  const courses = await apiGet(token, `/courses?centre_id=${centre}&status=published`);
  return { token, me, centre, course: courses.items[0].id };
}

let n = 0;
/** A name unique to this run. */
export function unique(base) {
  return `${base} ${(Date.now() % 1e6).toString(36)}${n++}`;
}

/** civil date of now in Vietnam plus days. */
export function vnDay(plus = 0) {
  return new Date(Date.now() + 7 * 3600e3 + plus * 86400e3).toISOString().slice(0, 10);
}

/** The Monday (civil date in Vietnam) of the week `weeks` after this one. */
export function monday(weeks = 0) {
  const today = vnDay();
  const wd = (new Date(today + 'T00:00:00Z').getUTCDay() + 6) % 7;
  return new Date(Date.parse(today + 'T00:00:00Z') + (7 * weeks - wd) * 86400e3).toISOString().slice(0, 10);
}

/** A person's name unique to this run, letters only (names take no digits). */
export function uniquePersonName(base) {
  const tag = (Date.now().toString(36) + Math.random().toString(36).slice(2, 5)).slice(-6).replace(/\d/g, (d) => 'abcdefghij'[d]);
  return `${base} ${tag[0].toUpperCase()}${tag.slice(1)}`;
}
