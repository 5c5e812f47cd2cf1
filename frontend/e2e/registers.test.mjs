// The paper registers at 360 px: the demo manager opens a class's registers
// page (/so-diem-danh/:id, where the class page links), downloads the filled
// record as PDF and as Excel and a session's blank sheet, each saved under
// its Vietnamese file name. The files' contents (the Vietnamese names read
// back from the PDF's embedded font, the XLSX cells) are checked by the Go
// tests; here the browser path: signed-in download, name, type, no overflow.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEMO, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';
import { apiSend, enrolAs, newPerson, openClass, tag, vnDate, world } from './class-fixtures.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

async function download(page, button) {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: await readFile(path) };
}

describe('paper registers', () => {
  it('the manager downloads the class record and a session sheet', async () => {
    const w = await world();
    const title = `Lớp sổ điểm danh ${tag()}`;
    const today = vnDate(0);
    // No teacher: the demo teacher teaches the demo class on Monday and Wednesday evenings (three days
    // on from a Friday or a Sunday), and a teacher is never double-booked. The manager marks instead.
    const c = await openClass(w, { title, mode: 'in_person', teacher: false, sessions: [{ date: today, from: '00:10', to: '00:50' }, { date: vnDate(3), from: '19:00', to: '20:30' }] });
    const people = [];
    for (const name of ['Nguyễn Thị Ửng', 'Lò Văn Ánh']) {
      const p = await newPerson(w, name);
      await enrolAs(w, c.id, p.id);
      people.push(p.id);
    }
    const marked = await apiSend(w.manager, 'POST', `/sessions/${c.sessions[0].id}/attendance`, {
      device: 'e2e',
      marks: people.map((id, i) => ({ person_id: id, status: i === 0 ? 'late' : 'present', version: 0 })),
    });
    assert.equal(marked.status, 200, JSON.stringify(marked.body));

    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.manager);
      await page.goto(`/so-diem-danh/${c.id}`);
      await page.getByTestId('register-links').first().waitFor();
      assert.equal((await page.getByTestId('registers-title').textContent()).trim(), `Sổ điểm danh: ${title}`);
      const classLinks = page.getByTestId('register-links').first();
      const pdf = await download(page, classLinks.getByRole('button', { name: 'In sổ điểm danh (PDF)' }));
      assert.equal(pdf.name, `Sổ điểm danh ${title}.pdf`);
      assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
      const xlsx = await download(page, classLinks.getByRole('button', { name: 'Tải Excel' }));
      assert.equal(xlsx.name, `Sổ điểm danh ${title}.xlsx`);
      assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');

      const sessions = page.getByTestId('register-session');
      assert.equal(await sessions.count(), 2);
      const sheet = await download(page, sessions.first().getByRole('button', { name: 'In sổ điểm danh (PDF)' }));
      assert.equal(sheet.name, `Điểm danh ${title} ${today}.pdf`);
      assert.equal(sheet.bytes.subarray(0, 5).toString(), '%PDF-');

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
      assert.deepEqual(await smallTargets(page), []);
      assert.deepEqual(await axe(page), []);
      await shot(page, 'registers-360');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the demo learner gets no register', async () => {
    const w = await world();
    const c = await openClass(w, { title: `Lớp sổ điểm danh ${tag()}k`, mode: 'in_person', sessions: [], teacher: false });
    const res = await apiSend(w.learnerToken, 'GET', `/classes/${c.id}/register.pdf`);
    assert.equal(res.status, 404);
  });
});
