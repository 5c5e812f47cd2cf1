// A class session's files (issue 11), on a phone (360 px): the demo class's
// teacher opens the first session's page (/buoi-hoc/:id) — its time in
// Vietnam, venue and teacher, and the handout the demo attached —, saves the
// handout (a download named in Vietnamese), cancels a throttled upload
// part-way (no material left behind), uploads a worksheet with a real
// progress bar through the same direct-to-store path as the course editor,
// and later deletes it. A learner of the centre who is not enrolled in the
// class sees the session but is told the files are for enrolled learners;
// once enrolled (active), they open and save the files without any upload
// or delete control.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DEMO, apiGet, apiToken, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const CLASS_TITLE = 'Kỹ năng số cơ bản — lớp buổi tối tổ 5';
const HANDOUT = 'Phiếu bài tập buổi 1 – Mật khẩu mạnh và mã OTP.pdf';
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** A PDF (magic bytes first) of the given size. */
function pdf(name, size) {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n';
  return { name, mimeType: 'application/pdf', buffer: Buffer.from((head + ' '.repeat(Math.max(0, size - head.length - 6))) + '%%EOF\n') };
}

/**
 * SQL on the database the server under test uses (scripts/e2e.sh exports
 * it): class enrolments have no endpoint on this branch yet, so the test
 * enrols the learner the way the roster's use case stores it.
 */
function sql(q) {
  const url = process.env.DATABASE_URL;
  assert.ok(url && /densach_e2e/.test(url), 'DATABASE_URL names the e2e database (run through scripts/e2e.sh)');
  return execFileSync('psql', [url, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' }).trim();
}

describe('session files', () => {
  it('teacher uploads, cancels and deletes; a learner downloads once enrolled, at 360 px', async () => {
    const teacherToken = await apiToken(DEMO.teacher);
    const cls = (await apiGet(teacherToken, '/classes')).items.find((c) => c.title === CLASS_TITLE);
    assert.ok(cls, 'the demo class');
    const sessions = (await apiGet(teacherToken, `/classes/${cls.id}/sessions`)).items.filter((s) => s.status === 'scheduled');
    const sess = sessions[0];
    const path = `/buoi-hoc/${sess.id}`;
    const learnerId = sql(`SELECT id FROM people WHERE phone = '${DEMO.learner.login}'`);
    sql(`DELETE FROM enrolments WHERE class_id = ${cls.id} AND person_id = ${learnerId}`);

    const t = await newPage(b.browser, { width: 360, bypassCSP: true });
    const { page, errors } = t;
    let uploaded = '';
    try {
      await signIn(page, DEMO.teacher);
      await page.goto(path);
      assert.equal((await page.getByTestId('session-title').textContent()).trim(), CLASS_TITLE);
      const start = new Date(sess.starts_at);
      const hhmm = (d) => d.toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      assert.match(await page.getByTestId('session-time').textContent(), new RegExp(`${hhmm(start)}–${hhmm(new Date(sess.ends_at))}`));
      assert.match(await page.getByTestId('session-place').textContent(), sess.mode === 'online' ? /trực tuyến/ : new RegExp(sess.venue_name));
      assert.equal((await page.getByTestId('session-teacher').textContent()).trim(), sess.teacher_name);
      const files = page.getByTestId('session-files');
      await files.getByText(HANDOUT).waitFor();

      // The handout saves as an attachment named in Vietnamese.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải về ' + HANDOUT }).click()]);
      assert.equal(download.suggestedFilename(), HANDOUT);
      assert.ok((await download.path()) !== null);

      // A throttled upload, cancelled part-way: nothing is left.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 4_000_000, uploadThroughput: 500_000 });
      const input = page.locator(`#session-${sess.id}-upload`);
      await input.setInputFiles(pdf('Bài giảng dài.pdf', 3_000_000));
      await page.getByTestId('upload-progress').waitFor();
      await page.getByTestId('upload-cancel').click();
      await page.getByTestId('upload-notice').filter({ hasText: 'Đã hủy tải lên' }).waitFor();
      let left = -1;
      for (let i = 0; i < 20 && left !== 1; i++) {
        left = (await apiGet(teacherToken, `/sessions/${sess.id}/materials`)).items.length;
        if (left !== 1) await page.waitForTimeout(250);
      }
      assert.equal(left, 1, 'only the handout: the cancelled upload left no material');

      // A worksheet, uploaded with its progress bar seen part-way.
      await page.evaluate(() => {
        window.__progress = [];
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[data-testid="upload-progress"]')) window.__progress.push(Number(el.getAttribute('value')));
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
      });
      uploaded = 'Phiếu luyện tập – nhận biết tin nhắn lừa đảo.pdf';
      await input.setInputFiles(pdf(uploaded, 600_000));
      await page.getByTestId('upload-progress').waitFor();
      await shot(page, 'session-materials-upload-360');
      await page.getByTestId('upload-notice').filter({ hasText: 'Đã tải lên' }).waitFor({ timeout: 60_000 });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      const seen = await page.evaluate(() => window.__progress);
      assert.ok(seen.some((v) => v > 0 && v < 100), `progress seen part-way: ${seen.slice(0, 10)}`);
      await files.getByText(uploaded).waitFor();
      assert.ok((await overflow(page)) <= 0, 'no sideways scrolling');
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(await smallTargets(page), []);
      await shot(page, 'session-materials-teacher-360');
      assert.deepEqual(errors, []);
    } finally {
      await t.context.close();
    }

    // The learner of the centre, not enrolled: the session, not its files.
    const l = await newPage(b.browser, { width: 360 });
    try {
      await signIn(l.page, DEMO.learner);
      await l.page.goto(path);
      await l.page.getByTestId('session-title').waitFor();
      await l.page.getByTestId('session-files-closed').waitFor();
      assert.equal(await l.page.getByText(HANDOUT).count(), 0);

      // Enrolled (active): the files, to open and save; no upload or delete.
      sql(`INSERT INTO enrolments (person_id, course_id, version_id, class_id, status, source, enrolled_by)
        SELECT ${learnerId}, course_id, version_id, id, 'active', 'staff', created_by FROM classes WHERE id = ${cls.id}`);
      await l.page.reload();
      const files = l.page.getByTestId('session-files');
      await files.getByText(HANDOUT).waitFor();
      await files.getByText(uploaded).waitFor();
      assert.equal(await l.page.locator(`#session-${sess.id}-upload`).count(), 0, 'no upload for a learner');
      assert.equal(await l.page.getByRole('button', { name: /^Xóa tệp/ }).count(), 0, 'no delete for a learner');
      const [download] = await Promise.all([l.page.waitForEvent('download'), l.page.getByRole('button', { name: 'Tải về ' + uploaded }).click()]);
      assert.equal(download.suggestedFilename(), uploaded);
      // Open shows the PDF in a new tab, inline.
      const [tab, shown] = await Promise.all([
        l.context.waitForEvent('page'),
        l.context.waitForEvent('response', (r) => r.url().includes('response-content-disposition=inline')),
        l.page.getByRole('button', { name: 'Mở ' + HANDOUT }).click(),
      ]);
      assert.equal(shown.status(), 200);
      assert.match(shown.headers()['content-disposition'], /^inline;/);
      assert.equal(shown.headers()['content-type'], 'application/pdf');
      await tab.close();
      assert.ok((await overflow(l.page)) <= 0, 'no sideways scrolling');
      await shot(l.page, 'session-materials-learner-360');
      assert.deepEqual(l.errors, []);
    } finally {
      await l.context.close();
      sql(`DELETE FROM enrolments WHERE class_id = ${cls.id} AND person_id = ${learnerId}`);
    }

    // The teacher deletes the worksheet.
    const d = await newPage(b.browser, { width: 360 });
    try {
      await signIn(d.page, DEMO.teacher);
      await d.page.goto(path);
      await d.page.getByTestId('session-files').getByText(uploaded).waitFor();
      d.page.once('dialog', (dlg) => dlg.accept());
      await d.page.getByRole('button', { name: 'Xóa tệp ' + uploaded }).click();
      await d.page.getByText(`Đã xóa «${uploaded}».`).waitFor();
      assert.equal(await d.page.getByTestId('session-files').getByText(uploaded).count(), 0);
      const after = (await apiGet(teacherToken, `/sessions/${sess.id}/materials`)).items.map((m) => m.display_name);
      assert.deepEqual(after, [HANDOUT]);
    } finally {
      await d.context.close();
    }
  });
});
