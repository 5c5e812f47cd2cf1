// The teacher's attendance with no signal (issue 12), at 360 px: the roster
// opens from the phone's copy (also after a reload with no signal), marks made with the network cut wait on the
// phone ("n điểm danh đang chờ gửi"), go by themselves when it returns, and
// arrive once; a mark someone else changed meanwhile is shown with whose
// mark it is and its value, and the teacher's can be applied again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';
import { apiSend, cancelSession, enrolAs, newPerson, openClass, tag, vnDate, world } from './class-fixtures.mjs';
import { clearOfMidnight } from './vnclock.mjs';

let b;
let w;
before(async () => {
  b = await launch();
  w = await world();
});
const made = [];
after(async () => {
  // The demo teacher's early hours free again for the specs after this one (a cancelled session holds no slot).
  for (const id of made) await cancelSession(w, id, 'Hết giờ kiểm thử');
  await b?.close();
});

/** A class of the demo teacher with one session today (at hours no other spec uses: the teacher is never double-booked) and new learners enrolled. */
async function sessionToday(title, from, to, names) {
  // Today's list is this week's in Vietnam: today must stay today until the test is done.
  await clearOfMidnight(5);
  const c = await openClass(w, { title, mode: 'in_person', sessions: [{ date: vnDate(0), from, to }] });
  const people = [];
  for (const n of names) {
    const p = await newPerson(w, n);
    await enrolAs(w, c.id, p.id);
    people.push(p);
  }
  made.push(c.sessions[0].id);
  return { cls: c, session: c.sessions[0], people };
}

const register = (id) => apiGet(w.manager, `/sessions/${id}/attendance`);
const history = async (id) => (await apiGet(w.manager, `/sessions/${id}/attendance/history`)).items ?? [];
const row = (page, personId) => page.locator(`[data-testid="att-learner"][data-person-id="${personId}"]`);

/** Opens the teacher's roster of a session from "Buổi dạy của tôi" → "Điểm danh". */
async function openRoster(page, sessionId, learners) {
  await signIn(page, DEMO.teacher);
  await page.goto('/giao-vien/buoi-day');
  await page.getByTestId('teach-attendance').click();
  await page.waitForURL((u) => u.pathname === '/giao-vien/diem-danh');
  await page.locator(`[data-testid="att-session"][data-session-id="${sessionId}"] [data-testid="att-open"]`).click();
  await page.waitForURL((u) => u.pathname === `/giao-vien/diem-danh/${sessionId}`);
  await page.getByTestId('att-roster').waitFor();
  assert.equal(await page.getByTestId('att-learner').count(), learners);
}

const pending = (page) => page.getByTestId('att-pending');

describe('attendance with no connection', () => {
  it('marks made offline wait on the phone, are sent when the network returns, and arrive once', async () => {
    const t = tag();
    const { session, people } = await sessionToday(`Lớp điểm danh ${t}`, '04:00', '04:40', [`Nguyễn Văn An ${t}`, `Trần Thị Bình ${t}`, `Lê Văn Cường ${t}`]);
    const [an, binh, cuong] = people;
    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    try {
      await openRoster(page, session.id, 3);
      // The targets are large enough for a thumb.
      const box = await row(page, an.id).locator('button[data-status="present"]').boundingBox();
      assert.ok(box.height >= 48 && box.width >= 48, `tap target ${box.width}×${box.height}`);

      // The service worker keeps the app (and this page's chunk) for a start with no signal.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
      await page.getByTestId('att-roster').waitFor();

      await context.setOffline(true);
      await page.getByTestId('att-all-present').click();
      await row(page, binh.id).locator('button[data-status="late"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="att-pending"]')?.getAttribute('data-count') === '3');
      assert.match(await pending(page).textContent(), /3 điểm danh đang chờ gửi/);
      await page.getByTestId('att-offline').waitFor();
      // The count is 3 as soon as "all present" is kept; Bình's late replaces his present a moment later.
      await page.waitForFunction((id) => document.querySelector(`[data-testid="att-learner"][data-person-id="${id}"]`)?.getAttribute('data-status') === 'late', binh.id);

      // Still offline: the week's list and the roster open from the phone's copy, the marks still there.
      await page.getByTestId('att-back').click();
      await page.waitForURL((u) => u.pathname === '/giao-vien/diem-danh');
      await page.locator(`[data-testid="att-session"][data-session-id="${session.id}"] [data-testid="att-open"]`).click();
      await page.getByTestId('att-roster').waitFor();
      assert.equal(await row(page, cuong.id).getAttribute('data-status'), 'present');
      assert.match(await pending(page).textContent(), /3 điểm danh đang chờ gửi/);
      await shot(page, 'attendance-offline-360');

      // The phone reopens the app with no signal: the register and its waiting marks are there.
      await page.reload();
      await page.getByTestId('att-roster').waitFor();
      assert.equal(await pending(page).getAttribute('data-count'), '3');
      assert.equal(await row(page, binh.id).getAttribute('data-status'), 'late');
      assert.equal(await row(page, an.id).getAttribute('data-status'), 'present');

      // Nothing reached the server yet.
      assert.ok((await register(session.id)).items.every((e) => e.mark === null), 'no mark on the server while offline');

      await context.setOffline(false);
      await page.waitForFunction(() => document.querySelector('[data-testid="att-pending"]')?.getAttribute('data-count') === '0', null, { timeout: 20_000 });
      assert.match(await page.getByTestId('att-last-sync').textContent(), /Lần gửi gần nhất/);
      // The marks as the server answered them name their author: the teacher, not "Người khác".
      const teacherName = (await apiGet(w.teacherToken, '/me')).person.full_name;
      await row(page, an.id).getByTestId('roster-mark-source').waitFor();
      const by = await row(page, an.id).getByTestId('roster-mark-source').textContent();
      assert.ok(by.includes(teacherName) && !by.includes('Người khác'), by);

      const got = await register(session.id);
      const byPerson = Object.fromEntries(got.items.map((e) => [e.person_id, e.mark?.status]));
      assert.deepEqual(byPerson, { [an.id]: 'present', [binh.id]: 'late', [cuong.id]: 'present' });
      // Once: one change per learner, all at version 1, from this phone.
      const events = await history(session.id);
      assert.equal(events.length, 3, JSON.stringify(events));
      assert.deepEqual(events.map((e) => e.person_id).sort(), [an.id, binh.id, cuong.id].sort());
      assert.ok(got.items.every((e) => e.mark.version === 1));
      assert.ok(events.every((e) => e.device.startsWith('web ')));

      // A reload sends nothing again.
      await page.reload();
      await page.getByTestId('att-roster').waitFor();
      assert.equal(await pending(page).getAttribute('data-count'), '0');
      assert.equal((await history(session.id)).length, 3);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('a mark another teacher changed meanwhile is shown as a conflict, and the teacher’s is applied again on the fresh version', async () => {
    const t = tag();
    const { session, people } = await sessionToday(`Lớp xung đột ${t}`, '04:45', '05:05', [`Phạm Thị Dung ${t}`, `Hoàng Văn Em ${t}`]);
    const [dung, em] = people;
    const managerName = (await apiGet(w.manager, '/me')).person.full_name;
    // The CSP forbids inline scripts: this context bypasses it to inject axe.
    const { context, page, errors } = await newPage(b.browser, { width: 360, bypassCSP: true });
    try {
      await openRoster(page, session.id, 2);
      await context.setOffline(true);
      await row(page, dung.id).locator('button[data-status="present"]').click();
      await row(page, em.id).locator('button[data-status="absent"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="att-pending"]')?.getAttribute('data-count') === '2');

      // Meanwhile the manager marks Dung excused from another device.
      const other = await apiSend(w.manager, 'POST', `/sessions/${session.id}/attendance`, { device: 'e2e manager', marks: [{ person_id: dung.id, status: 'excused', version: 0 }] });
      assert.equal(other.status, 200, JSON.stringify(other.body));

      await context.setOffline(false);
      const conflict = page.getByTestId('att-conflict');
      await conflict.waitFor({ timeout: 20_000 });
      const text = await conflict.textContent();
      assert.ok(text.includes(managerName), text);
      assert.match(text, /“Vắng có phép”/);
      assert.match(text, /bạn ghi “Có mặt”/);
      await page.waitForFunction(() => document.querySelector('[data-testid="att-pending"]')?.getAttribute('data-count') === '0', null, { timeout: 20_000 });
      // The other row went through; the conflicting one shows the current value.
      let got = await register(session.id);
      let by = Object.fromEntries(got.items.map((e) => [e.person_id, e.mark]));
      assert.equal(by[em.id].status, 'absent');
      assert.equal(by[dung.id].status, 'excused');
      assert.equal(await row(page, dung.id).getAttribute('data-status'), 'excused');
      await shot(page, 'attendance-conflict-360');
      // The roster with its conflict: no WCAG A/AA violation, thumb-sized controls, no sideways scrolling.
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(await smallTargets(page), []);
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);

      await page.getByTestId('att-conflict-mine').click();
      await conflict.waitFor({ state: 'detached' });
      await page.waitForFunction(
        (id) => document.querySelector(`[data-testid="att-learner"][data-person-id="${id}"]`)?.getAttribute('data-status') === 'present' && document.querySelector('[data-testid="att-pending"]')?.getAttribute('data-count') === '0',
        dung.id,
        { timeout: 20_000 },
      );
      got = await register(session.id);
      by = Object.fromEntries(got.items.map((e) => [e.person_id, e.mark]));
      assert.equal(by[dung.id].status, 'present');
      assert.equal(by[dung.id].version, 2);
      const events = (await history(session.id)).filter((e) => e.person_id === dung.id);
      assert.deepEqual(events.map((e) => [e.from_status, e.to_status]), [[null, 'excused'], ['excused', 'present']]);

      // The week's list, too: accessible, thumb-sized, fits 360 px.
      await page.getByTestId('att-back').click();
      await page.getByTestId('att-today').waitFor();
      await page.waitForFunction(() => !document.querySelector('main .loading'));
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(await smallTargets(page), []);
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
