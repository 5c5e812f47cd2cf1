// Self check-in at 360 px: the teacher's phone shows the session's code
// (QR and 8 characters); a learner types a wrong code and is told so in
// Vietnamese, then arrives from the QR link with the code filled in and
// checks in with one tap; the teacher's count goes up by itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, launch, newPage, shot, signIn, smallTargets, DEMO } from './helpers.mjs';
import { apiSend, cancelSession, enrolAs, newTeacher, openClass, tag, withdraw, world } from './class-fixtures.mjs';
import { clearOfMidnight, sessionUnderWay } from './vnclock.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('self check-in', () => {
  it('the teacher shows a code, a learner checks in with it, the count updates, a wrong code is refused', async () => {
    const w = await world();
    // A class with a session under way now, on today's list in Vietnam: online (no venue to book), with a
    // teacher of its own (the demo teacher may be teaching now, or booked now by another spec), within
    // today (none of it before midnight, at least ten minutes of it left).
    await clearOfMidnight(10);
    const teacher = await newTeacher(w);
    const c = await openClass(w, { title: `Lớp điểm danh ${tag()}`, teacher: teacher.id, sessions: [{ ...sessionUnderWay(), mode: 'online' }] });
    const sessionId = c.sessions[0].id;
    const enrolment = await enrolAs(w, c.id, w.learnerId);

    const phone = await newPage(b.browser, { bypassCSP: true });
    const learner = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(phone.page, teacher.account);
      // From "my sessions": the session under way offers its check-in code.
      await phone.page.goto('/giao-vien/buoi-day');
      await phone.page.locator(`[data-session-id="${sessionId}"] [data-testid="session-checkin"]`).first().click();
      await phone.page.waitForURL((u) => u.pathname === `/diem-danh/${sessionId}/ma`);
      const codeEl = phone.page.getByTestId('checkin-code');
      await codeEl.waitFor();
      await phone.page.getByTestId('checkin-qr').waitFor();
      const count = phone.page.getByTestId('checkin-count');
      assert.equal(await count.getAttribute('data-n'), '0');
      assert.match(await count.textContent(), /Đã điểm danh: 0\/1/);
      // Large on a phone: the code fits the 360-px screen without scrolling sideways.
      const box = await codeEl.boundingBox();
      assert.ok(box && box.width <= 360 && box.height >= 36, `code box ${JSON.stringify(box)}`);
      assert.equal(await phone.page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
      await shot(phone.page, 'checkin-teacher');
      assert.deepEqual(await smallTargets(phone.page), []);
      assert.deepEqual(await axe(phone.page), []);

      // A wrong code: refused, in Vietnamese, nothing recorded.
      await signIn(learner.page, DEMO.learner);
      // From "my schedule": the session under way offers the check-in page.
      await learner.page.goto('/lich-hoc');
      await learner.page.locator(`[data-session-id="${sessionId}"] [data-testid="session-checkin"]`).first().click();
      await learner.page.waitForURL((u) => u.pathname === '/diem-danh');
      await learner.page.locator('#checkin-code').fill('zzzz-zzzz');
      await learner.page.getByTestId('checkin-submit').click();
      await learner.page.getByTestId('checkin-error').getByText('Mã không đúng').waitFor();

      // From the QR link: the code is filled in, one tap checks in.
      const code = await codeEl.getAttribute('data-code');
      const link = (await apiSend(teacher.token, 'GET', `/sessions/${sessionId}/checkin-code`)).body.url;
      assert.match(link, /\/diem-danh\?ma=[0-9A-Z]{8}$/);
      await learner.page.goto(`/diem-danh?ma=${code}`);
      await learner.page.getByTestId('checkin-prefilled').waitFor();
      assert.deepEqual(await smallTargets(learner.page), []);
      assert.deepEqual(await axe(learner.page), []);
      assert.equal(await learner.page.locator('#checkin-code').inputValue(), code);
      await learner.page.getByTestId('checkin-submit').click();
      const result = learner.page.getByTestId('checkin-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-status'), 'present');
      assert.match(await result.textContent(), /Đã điểm danh: Có mặt/);
      await shot(learner.page, 'checkin-learner');

      // The teacher's screen counts the check-in (it polls; no reload).
      await phone.page.waitForFunction(() => document.querySelector('[data-testid="checkin-count"]')?.getAttribute('data-n') === '1', null, { timeout: 10_000 });
      await phone.page.getByTestId('checkin-list').getByText('Có mặt').waitFor();

      // The register shows it as a check-in for the teacher to confirm or correct.
      const reg = await apiSend(teacher.token, 'GET', `/sessions/${sessionId}/attendance`);
      const mine = reg.body.items.find((i) => i.person_id === w.learnerId);
      assert.equal(mine.mark.source, 'checkin');
    } finally {
      await phone.context.close();
      await learner.context.close();
      // Leave the demo as it was for the specs that run after: the learner out of this class (its course is
      // the demo course they learn online), the session cancelled (a cancelled session holds no slot).
      assert.equal((await withdraw(w, enrolment.id, 'Hết giờ kiểm thử')).status, 200);
      await cancelSession(w, sessionId, 'Hết giờ kiểm thử');
    }
  });
});
