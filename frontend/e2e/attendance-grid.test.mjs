// Attendance screens (issue 12) at 360 px: the manager opens the grid of a
// demo class (a card per learner on a phone), sees the at-risk learner the
// demo seeds flagged and the learner who checked in, edits a mark, sees its
// history, and a stale edit (the teacher changed the mark meanwhile) shows
// the conflict instead of overwriting; the weights form has its Vietnamese
// labels. The learner, enrolled in a class with a missed session, opens
// "Chuyên cần của tôi" from their schedule and reads their rate, what is
// left and a kind note.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';
import { apiSend, myClasses, openClass, enrolAs, tag, vnDate, withdraw, world } from './class-fixtures.mjs';

const BLENDED = 'Kỹ năng số cơ bản — lớp buổi tối tổ 5';
let b;
let w;
const made = [];
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

before(async () => {
  b = await launch();
  w = await world();
});
after(async () => {
  if (w) for (const c of await myClasses(w).catch(() => [])) if (made.includes(c.class_id)) await withdraw(w, c.enrolment_id);
  await b?.close();
});

describe('attendance grid and my attendance', () => {
  it('the manager sees the at-risk learner flagged, edits a mark, reads its history, and a stale edit shows the conflict', async () => {
    const list = await apiGet(w.manager, '/classes');
    const klass = (list.items ?? list).find((c) => c.title === BLENDED);
    assert.ok(klass, 'the demo blended class');
    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.manager);
      await page.goto(`/lop-hoc/${klass.id}/diem-danh`);
      await page.getByTestId('grid-list').waitFor();
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Điểm danh của lớp');
      assert.equal(await page.getByTestId('grid-table').count(), 0, 'a card per learner on a phone, no table');
      assert.match(await page.getByTestId('grid-summary').innerText(), /Cần đạt 80% số buổi để hoàn thành lớp\./);
      assert.match(await page.getByTestId('grid-at-risk-count').innerText(), /1 học viên có nguy cơ không đạt chuyên cần/);

      // Learners in Vietnamese order (by given name): An, Lan, Thủy; An flagged, with the reason.
      const rows = page.getByTestId('grid-row');
      const names = await rows.locator('h2').allInnerTexts();
      assert.deepEqual(names, ['Nguyễn Văn An', 'Nguyễn Thị Lan', 'Lò Thị Thủy']);
      const an = rows.filter({ hasText: 'Nguyễn Văn An' });
      assert.match(await an.getAttribute('data-at-risk'), /^(cannot_reach|miss_next)$/);
      assert.match(await an.getByTestId('grid-risk').innerText(), /Không thể đạt|Vắng buổi tới sẽ không đạt/);
      assert.match(await an.getByTestId('grid-rate').innerText(), /Tỉ lệ chuyên cần: 0%/);
      for (const other of ['Nguyễn Thị Lan', 'Lò Thị Thủy']) {
        assert.equal(await rows.filter({ hasText: other }).getAttribute('data-at-risk'), '', other + ' is fine');
      }
      // Thủy checked in herself at the last held session.
      const thuy = rows.filter({ hasText: 'Lò Thị Thủy' });
      assert.equal(await thuy.locator('[data-testid="grid-cell"][data-source="checkin"]').count(), 1);
      assert.match(await an.getByTestId('grid-rate').innerText(), /còn \d+ buổi sắp tới/, 'the sessions to come shown apart');
      assert.ok((await overflow(page)) <= 0, 'the grid fits 360 px');
      assert.deepEqual(await smallTargets(page), []);
      assert.deepEqual(await axe(page), []);
      await shot(page, 'attendance-grid-360');

      // Edit Lan's first held session: present → late, with a note.
      const lan = rows.filter({ hasText: 'Nguyễn Thị Lan' });
      const cell = lan.getByTestId('grid-cell').first();
      const sessionId = Number(await cell.getAttribute('data-session-id'));
      assert.equal(await cell.getAttribute('data-status'), 'present');
      await cell.click();
      const editor = page.getByTestId('grid-editor');
      await editor.getByTestId('edit-current').waitFor();
      assert.match(await editor.getByTestId('edit-current').innerText(), /Hiện tại: Có mặt/);
      await editor.getByTestId('edit-history').waitFor();
      assert.equal(await editor.getByTestId('history-item').count(), 1);
      await editor.locator('label', { hasText: 'Đi muộn' }).click();
      await editor.getByTestId('edit-note').fill('Đến muộn 10 phút');
      await editor.getByTestId('edit-save').click();
      await editor.getByTestId('edit-saved').waitFor();
      assert.equal((await editor.getByTestId('edit-saved').innerText()).trim(), 'Đã lưu điểm danh.');
      assert.equal(await cell.getAttribute('data-status'), 'late');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-item"]').length === 2);
      const latest = await editor.getByTestId('history-item').first().innerText();
      assert.match(latest, /Đặng Thị Mai sửa Có mặt → Đi muộn/);
      assert.match(latest, /Điểm danh trên sổ · Thiết bị: Bảng điểm danh của lớp \(trang web\)/);
      assert.match(latest, /Ghi chú: Đến muộn 10 phút/);
      await shot(page, 'attendance-edit-360');

      // The teacher changes the same mark meanwhile (from the version the screen has): the manager's next save is stale.
      const reg = await apiGet(w.teacherToken, `/sessions/${sessionId}/attendance`);
      const lanId = Number(await lan.getAttribute('data-person-id'));
      const mine = reg.items.find((e) => e.person_id === lanId).mark;
      const teacherEdit = await apiSend(w.teacherToken, 'POST', `/sessions/${sessionId}/attendance`, { device: 'e2e', marks: [{ person_id: lanId, status: 'absent', version: mine.version }] });
      assert.equal(teacherEdit.status, 200, JSON.stringify(teacherEdit.body));
      await editor.locator('label', { hasText: 'Vắng có phép' }).click();
      await editor.getByTestId('edit-save').click();
      await editor.getByTestId('edit-conflict').waitFor();
      assert.match(await editor.getByTestId('edit-conflict').innerText(), /Người khác vừa sửa điểm danh này: hiện là Vắng/);
      assert.equal(await cell.getAttribute('data-status'), 'absent', 'the grid shows the teacher\'s mark, not overwritten');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-item"]').length === 3);
      // Saved again on purpose, it now applies over the version seen.
      await editor.getByTestId('edit-save').click();
      await editor.getByTestId('edit-saved').waitFor();
      assert.equal(await cell.getAttribute('data-status'), 'excused');
      await editor.getByTestId('edit-close').click();

      // The centre's weights, for its manager, in Vietnamese.
      await page.getByTestId('weights-open').click();
      const form = page.getByTestId('weights-form');
      for (const label of ['Có mặt', 'Đi muộn', 'Vắng có phép', 'Vắng không phép']) assert.equal(await form.getByLabel(label, { exact: true }).count(), 1, label);
      assert.equal(await page.getByTestId('weight-present').inputValue(), '1');
      assert.equal(await page.getByTestId('weight-excused').inputValue(), '0');
      assert.ok((await overflow(page)) <= 0, 'the weights fit 360 px');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the learner reads their attendance per class from their schedule, with a kind note', async () => {
    const title = `Lớp chuyên cần ${tag()}`;
    const sessions = [{ date: vnDate(-1), from: '07:00', to: '08:00' }];
    for (let d = 1; d <= 5; d++) sessions.push({ date: vnDate(d), from: '06:00', to: '06:45' });
    const k = await openClass(w, { title, teacher: false, sessions });
    made.push(k.id);
    await enrolAs(w, k.id, w.learnerId);
    const missed = await apiSend(w.manager, 'POST', `/sessions/${k.sessions[0].id}/attendance`, { device: 'e2e', marks: [{ person_id: w.learnerId, status: 'absent', version: 0 }] });
    assert.equal(missed.status, 200, JSON.stringify(missed.body));

    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/lich-hoc');
      await page.getByTestId('sched-attendance').click();
      await page.waitForURL((u) => u.pathname === '/chuyen-can-cua-toi');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Chuyên cần của tôi');
      const card = page.locator(`[data-testid="my-att-class"][data-class-id="${k.id}"]`);
      await card.waitFor();
      assert.equal(await card.getAttribute('data-at-risk'), 'miss_next');
      assert.equal((await card.getByTestId('my-att-rate').innerText()).trim(), 'Bạn đã đi học 0/1 buổi đã diễn ra (0%).');
      assert.equal((await card.getByTestId('my-att-left').innerText()).trim(), 'Còn 5 buổi sắp tới. Cần đạt 80% số buổi để hoàn thành lớp.');
      const note = await card.getByTestId('my-att-risk').innerText();
      assert.match(note, /Bạn vẫn có thể hoàn thành lớp này\. Cố gắng đến đủ các buổi còn lại, nhất là buổi tới, nhé!/);
      assert.match(note, /giáo viên\. Bạn cần đến 5 trong 5 buổi còn lại\./);
      await card.locator('summary').click();
      const states = await card.getByTestId('my-att-session').allInnerTexts();
      assert.equal(states.length, 6);
      assert.match(states[0], /Vắng/);
      assert.ok(states.slice(1).every((s) => /Sắp tới/.test(s)), states.join(' | '));
      assert.ok((await overflow(page)) <= 0, 'fits 360 px');
      assert.deepEqual(await smallTargets(page), []);
      assert.deepEqual(await axe(page), []);
      await shot(page, 'my-attendance-360');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
