// Attendance from the online-learning data at 360 px: a learner opens an
// online session's room through Đèn Sách ("Vào buổi học trực tuyến" on
// "Lịch học của tôi"); the join is recorded and the learner is marked
// present with source online, which "Chuyên cần của tôi" and the manager's
// register show. Independent of the time of day: the spec makes its own
// class (no teacher, so nobody's hours are taken) with one online session
// starting a minute from now (the join counts from 15 minutes before the
// start), and cleans up after itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, launch, newPage, shot, signIn, smallTargets, DEMO } from './helpers.mjs';
import { apiSend, cancelSession, enrolAs, openClass, tag, withdraw, world } from './class-fixtures.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const ROOM = 'https://meet.jit.si/densach-e2e-truc-tuyen';

describe('online attendance', () => {
  it('a learner joins an online session through Đèn Sách and is marked present, source online', async () => {
    const w = await world();
    const c = await openClass(w, { title: `Lớp trực tuyến ${tag()}`, mode: 'blended', teacher: false, meetingUrl: ROOM });
    const start = new Date(Date.now() + 60_000);
    start.setUTCSeconds(0, 0);
    const made = await apiSend(w.manager, 'POST', `/classes/${c.id}/sessions`, {
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 60 * 60_000).toISOString(),
      mode: 'online',
      teacher_id: 0,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const sessionId = made.body.id;
    const enrolment = await enrolAs(w, c.id, w.learnerId);

    const learner = await newPage(b.browser, { bypassCSP: true });
    // The meeting room is another site: a stand-in page answers for it.
    const opened = [];
    await learner.context.route(`${ROOM}**`, (r) => {
      opened.push(r.request().url());
      return r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Phòng học</title><p>Phòng học</p>' });
    });
    try {
      await signIn(learner.page, DEMO.learner);
      await learner.page.goto('/lich-hoc');
      const item = learner.page.locator(`[data-session-id="${sessionId}"]`).first();
      const join = item.getByTestId('session-join-online');
      await join.waitFor();
      assert.match(await join.textContent(), /Vào buổi học trực tuyến/);
      assert.equal(await learner.page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
      assert.deepEqual(await smallTargets(learner.page), []);
      assert.deepEqual(await axe(learner.page), []);

      const popup = learner.context.waitForEvent('page');
      await join.click();
      const result = item.getByTestId('session-join-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-status'), 'present');
      assert.equal(await result.getAttribute('data-source'), 'online');
      assert.match(await result.textContent(), /Chuyên cần: Có mặt/);
      // The room opened in a new tab.
      const room = await popup;
      await room.waitForLoadState();
      assert.equal(room.url(), ROOM);
      await room.close();
      assert.deepEqual(opened, [ROOM]);
      // Where the phone's browser blocked that tab, one more tap opens the room.
      assert.equal(await item.getByTestId('session-join-open').getAttribute('href'), ROOM);
      assert.deepEqual(await smallTargets(learner.page), []);
      await shot(learner.page, 'online-join-learner');

      // "Chuyên cần của tôi" shows the mark and where it came from.
      await learner.page.goto('/chuyen-can-cua-toi');
      const klass = learner.page.locator(`[data-testid="my-att-class"][data-class-id="${c.id}"]`);
      await klass.locator('summary').click();
      const row = klass.locator(`[data-testid="my-att-session"][data-session-id="${sessionId}"]`);
      assert.equal(await row.getAttribute('data-status'), 'present');
      assert.equal(await row.getAttribute('data-source'), 'online');
      assert.match(await row.getByTestId('my-att-source').textContent(), /Trực tuyến/);
      assert.deepEqual(await axe(learner.page), []);

      // The register (the manager's, as the class has no teacher) shows it
      // as an online mark, made by nobody; joining again changes nothing.
      const again = await apiSend(w.learnerToken, 'POST', `/sessions/${sessionId}/online-join`);
      assert.equal(again.status, 200);
      assert.equal(again.body.mark.version, 1);
      const reg = await apiSend(w.manager, 'GET', `/sessions/${sessionId}/attendance`);
      const mine = reg.body.items.find((i) => i.person_id === w.learnerId);
      assert.equal(mine.mark.source, 'online');
      assert.equal(mine.mark.status, 'present');
      assert.equal(mine.mark.marked_by, null);
      // Nobody else may join for the learner: the manager is refused.
      assert.equal((await apiSend(w.manager, 'POST', `/sessions/${sessionId}/online-join`)).status, 403);
      assert.deepEqual(learner.errors, []);
    } finally {
      await learner.context.close();
      assert.equal((await withdraw(w, enrolment.id, 'Hết giờ kiểm thử')).status, 200);
      await cancelSession(w, sessionId, 'Hết giờ kiểm thử');
    }
  });
});
