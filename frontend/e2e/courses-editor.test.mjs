// The course editor (issue 9), on a phone (360 px): a manager creates a
// course, describes and tags it (TT 02 competence at a level), adds two
// modules and lessons — a PDF document and an MP4 video uploaded straight to
// the object store with a real progress bar (the upload is throttled so that
// the bar is seen part-way), a text lesson —, moves a lesson with the arrow
// buttons (one structure request), publishes version 1 and finds it in the
// versions list; the page never scrolls sideways. Cancelling an upload
// leaves no material behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO, apiGet, apiToken, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** A small file that passes the PDF magic-byte check. */
function pdf() {
  const body = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  return { name: 'Hướng dẫn dùng điện thoại.pdf', mimeType: 'application/pdf', buffer: Buffer.from(body.padEnd(40_000, ' ')) };
}

/** An MP4 (an ftyp box, then padding) of the given size. */
function mp4(size) {
  const buf = Buffer.alloc(size);
  buf.writeUInt32BE(24, 0);
  buf.write('ftypisom', 4, 'latin1');
  buf.writeUInt32BE(0x200, 12);
  buf.write('isomiso2', 16, 'latin1');
  buf.writeUInt32BE(size - 24, 24);
  buf.write('mdat', 28, 'latin1');
  return { name: 'bai-giang.mp4', mimeType: 'video/mp4', buffer: buf };
}

/** Records every value the upload's progress bar shows (window.__progress). */
async function watchProgress(page) {
  await page.evaluate(() => {
    window.__progress = [];
    const seen = (el) => window.__progress.push(Number(el.getAttribute('value') ?? el.value));
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="upload-progress"]')) seen(el);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
  });
}

async function addModule(page, title) {
  await page.locator('#new-module').fill(title);
  await page.getByTestId('add-module').click();
  await page.locator('[data-testid="module"] h3', { hasText: title }).waitFor();
}

/** The id of the n-th module (0-based) from its "add lesson" button. */
async function moduleId(page, n) {
  const testid = await page.locator('[data-testid^="add-lesson-"]').nth(n).getAttribute('data-testid');
  return testid.replace('add-lesson-', '');
}

async function saveLesson(page, title) {
  await page.getByTestId('lesson-save').click();
  await page.locator('[data-testid="lesson"] .list-main', { hasText: title }).waitFor();
}

describe('course editor (manager)', () => {
  it('creates, tags, fills, reorders and publishes a course with a PDF and a video at 360 px', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    const title = 'Dùng điện thoại an toàn ' + Date.now().toString(36);
    try {
      await signIn(page, DEMO.manager);
      // From the navigation to the course list, then a new course.
      await page.locator('.mainnav a[href="/khoa-hoc"]').click();
      await page.waitForURL((u) => u.pathname === '/khoa-hoc');
      await page.getByTestId('course-new').first().click();
      await page.waitForURL((u) => u.pathname === '/khoa-hoc/moi');
      await page.locator('#course-title').fill(title);
      await page.locator('#course-summary').fill('Gọi điện, nhắn tin và tránh lừa đảo trên điện thoại.');
      await page.locator('#course-category').selectOption('digital_skills');
      await page.getByTestId('course-create').click();
      await page.waitForURL((u) => /^\/khoa-hoc\/\d+\/sua$/.test(u.pathname));
      const courseId = Number(new URL(page.url()).pathname.split('/')[2]);
      await page.getByTestId('details-form').waitFor();
      assert.match(await page.getByTestId('course-status').textContent(), /Bản nháp/);

      // Details and a competence tag (TT 02, first competence, step 2).
      await page.locator('#d-desc').fill('Khóa học **ngắn** cho người dân.\n\n- Gọi điện\n- Nhắn tin');
      await page.locator('#d-hours').fill('7,5');
      await page.locator('#d-tags-fw').selectOption({ index: 1 });
      await page.locator('#d-tags-c').selectOption({ index: 1 });
      await page.locator('#d-tags-l').selectOption('2');
      await page.getByRole('button', { name: 'Thêm năng lực' }).click();
      await page.getByTestId('details-save').click();
      await page.getByText('Đã lưu thông tin khóa học.').waitFor();
      // The description's preview is the server's sanitised rendering.
      await page.getByRole('button', { name: 'Xem trước mô tả' }).click();
      assert.equal(await page.getByTestId('description-preview').locator('strong').textContent(), 'ngắn');
      await page.getByRole('button', { name: 'Sửa mô tả' }).click();

      // Two modules.
      await addModule(page, 'Làm quen với điện thoại');
      await addModule(page, 'An toàn trên mạng');
      const m1 = await moduleId(page, 0);
      const m2 = await moduleId(page, 1);

      // A PDF document lesson in the first module.
      await page.getByTestId('add-lesson-' + m1).click();
      await page.locator(`#new${m1}-kind`).selectOption('document');
      await page.locator(`#new${m1}-title`).fill('Tài liệu hướng dẫn');
      await page.locator(`#new${m1}-upload`).setInputFiles(pdf());
      await page.getByTestId('upload-notice').filter({ hasText: 'Đã tải lên' }).waitFor();
      assert.match(await page.locator(`#new${m1}-material option:checked`).textContent(), /Hướng dẫn dùng điện thoại\.pdf \(39 KB\)/);
      await saveLesson(page, 'Tài liệu hướng dẫn');

      // A video lesson in the second module, uploaded over a throttled link so
      // that the progress bar is seen part-way; first one upload is cancelled.
      await page.getByTestId('add-lesson-' + m2).click();
      await page.locator(`#new${m2}-kind`).selectOption('video');
      await page.locator(`#new${m2}-title`).fill('Video: nhận biết tin nhắn lừa đảo');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 4_000_000, uploadThroughput: 1_000_000 });
      const before = (await apiGet(await apiToken(DEMO.manager), `/courses/${courseId}/materials`)).items.length;
      await page.locator(`#new${m2}-upload`).setInputFiles(mp4(3_000_000));
      await page.getByTestId('upload-progress').waitFor();
      await page.getByTestId('upload-cancel').click();
      await page.getByTestId('upload-notice').filter({ hasText: 'Đã hủy tải lên' }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid="upload-progress"]'));
      // The cancelled upload's pending material is removed.
      let after = before + 1;
      for (let i = 0; i < 20 && after !== before; i++) {
        after = (await apiGet(await apiToken(DEMO.manager), `/courses/${courseId}/materials`)).items.length;
        if (after !== before) await page.waitForTimeout(250);
      }
      assert.equal(after, before, 'no material is left by a cancelled upload');

      await watchProgress(page);
      await page.locator(`#new${m2}-upload`).setInputFiles(mp4(2_500_000));
      await page.getByTestId('upload-progress').waitFor();
      await shot(page, 'courses-editor-upload-360');
      await page.getByTestId('upload-notice').filter({ hasText: 'Đã tải lên' }).waitFor({ timeout: 60_000 });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      const values = await page.evaluate(() => window.__progress);
      assert.ok(values.some((v) => v > 0 && v < 100), `the progress bar showed a value between 0 and 100: ${values.join(', ')}`);
      assert.match(await page.locator(`#new${m2}-material option:checked`).textContent(), /bai-giang\.mp4 \(2,4 MB\)/);
      await saveLesson(page, 'Video: nhận biết tin nhắn lừa đảo');

      // A text lesson at the end of the first module.
      await page.getByTestId('add-lesson-' + m1).click();
      await page.locator(`#new${m1}-kind`).selectOption('text');
      await page.locator(`#new${m1}-title`).fill('Bài đọc: gọi điện và nhắn tin');
      await page.locator(`#new${m1}-body`).fill('Bấm vào biểu tượng **điện thoại**.');
      await saveLesson(page, 'Bài đọc: gọi điện và nhắn tin');

      // Sizes beside the lessons.
      const facts = await page.locator('[data-testid="lesson"] .list-sub').allTextContents();
      assert.ok(facts.some((f) => /39 KB/.test(f)) && facts.some((f) => /2,4 MB/.test(f)), 'sizes shown: ' + facts.join(' | '));

      // The course's files with their sizes, and the storage used.
      const files = await page.getByTestId('materials').textContent();
      assert.match(files, /Hướng dẫn dùng điện thoại\.pdf.*39 KB/s);
      assert.match(files, /bai-giang\.mp4.*2,4 MB/s);
      assert.match(await page.getByTestId('storage-usage').textContent(), /Dung lượng đã dùng: .+ \/ 20 GB/);

      // Reorder: the text lesson up above the PDF (one PUT /structure).
      const structure = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().endsWith(`/courses/${courseId}/structure`)) structure.push(r.postDataJSON());
      });
      const textId = await page.locator('[data-testid="lesson"]', { hasText: 'Bài đọc' }).getAttribute('data-lesson-id');
      const upBox = await page.getByTestId('lesson-up-' + textId).boundingBox();
      assert.ok(upBox.width >= 44 && upBox.height >= 44, `the arrow is a 44 px target: ${upBox.width}×${upBox.height}`);
      await page.getByTestId('lesson-up-' + textId).click();
      await page.locator('[data-testid="order-state"][data-state="saved"]').waitFor();
      assert.equal(structure.length, 1, 'one structure request');
      const token = await apiToken(DEMO.manager);
      let course = await apiGet(token, `/courses/${courseId}?version=draft`);
      assert.deepEqual(
        course.modules.map((m) => m.lessons.map((l) => l.title)),
        [['Bài đọc: gọi điện và nhắn tin', 'Tài liệu hướng dẫn'], ['Video: nhận biết tin nhắn lừa đảo']],
      );
      assert.equal(course.tags.length, 1);
      assert.equal(course.tags[0].level_step, 2);
      assert.equal(course.estimated_hours, 7.5);
      assert.ok((await overflow(page)) <= 0, 'the editor fits 360 px');
      await shot(page, 'courses-editor-360');

      // Preview as a learner, then publish version 1.
      await page.getByTestId('preview-toggle').click();
      await page.getByTestId('preview').getByTestId('course-page').getByText('Video: nhận biết tin nhắn lừa đảo').first().waitFor();
      await page.getByTestId('preview-toggle').click();
      await page.getByTestId('publish').click();
      assert.match(await page.getByText(/Xuất bản sẽ tạo phiên bản 1/).textContent(), /giữ phiên bản của mình/);
      await page.getByTestId('publish-confirm').click();
      await page.getByText('Đã xuất bản phiên bản 1.').waitFor();
      assert.match(await page.getByTestId('course-status').textContent(), /Đã xuất bản/);
      assert.match(await page.getByTestId('versions').textContent(), /Phiên bản 1/);
      course = await apiGet(token, `/courses/${courseId}?version=published`);
      assert.equal(course.status, 'published');
      assert.equal(course.version_number, 1);
      assert.ok((await overflow(page)) <= 0, 'the published course fits 360 px');

      // The list shows it.
      await page.goto(BASE_URL + '/khoa-hoc');
      await page.getByTestId('courses-list').getByText(title).waitFor();
      assert.ok((await overflow(page)) <= 0, 'the list fits 360 px');
      await shot(page, 'courses-list-360');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the course list, a new course and the library fit 320 px', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 320 });
    try {
      await signIn(page, DEMO.manager);
      for (const path of ['/khoa-hoc', '/khoa-hoc/moi', '/thu-vien']) {
        await page.goto(BASE_URL + path);
        await page.locator('main h1').waitFor();
        await page.waitForLoadState('networkidle');
        assert.ok((await overflow(page)) <= 0, `${path} fits 320 px`);
      }
      await shot(page, 'courses-library-320');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('a manager copies a course of the province library into their centre (360 px)', async () => {
    // The province officer curates the library (set up through the API).
    const officer = await apiToken(DEMO.officerProvince);
    const me = await apiGet(officer, '/me');
    const province = me.person.roles.find((g) => g.role === 'officer').unit_id;
    const send = async (method, path, body) => {
      const res = await fetch(BASE_URL + '/api/v1' + path, {
        method,
        headers: { Authorization: 'Bearer ' + officer, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? null : res.json();
    };
    const title = 'Ứng dụng CNTT cho cán bộ ' + Date.now().toString(36);
    const lib = await send('POST', '/courses', { province_id: province, title, category: 'digital_skills', summary: 'Thư viện tỉnh.' });
    const mod = await send('POST', `/courses/${lib.id}/modules`, { title: 'Máy tính cơ bản' });
    await send('POST', `/modules/${mod.id}/lessons`, { kind: 'text', title: 'Bật máy tính', body_md: 'Nhấn nút nguồn.' });
    await send('POST', `/courses/${lib.id}/publish`);

    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    try {
      await signIn(page, DEMO.manager);
      await page.goto(BASE_URL + '/khoa-hoc');
      await page.getByRole('link', { name: 'Thư viện tỉnh' }).first().click();
      await page.waitForURL((u) => u.pathname === '/thu-vien');
      const item = page.locator('[data-testid="library-list"] li', { hasText: title });
      await item.getByRole('button', { name: 'Sao chép về trung tâm' }).click();
      await page.waitForURL((u) => /^\/khoa-hoc\/\d+\/sua$/.test(u.pathname));
      await page.getByText(/Đã sao chép/).waitFor();
      assert.equal((await page.locator('main h1').textContent()).trim(), title);
      assert.match(await page.getByTestId('course-status').textContent(), /Bản nháp/);
      await page.locator('[data-testid="lesson"]', { hasText: 'Bật máy tính' }).waitFor();
      assert.notEqual(Number(new URL(page.url()).pathname.split('/')[2]), lib.id, 'a new course, not the library one');
      assert.ok((await overflow(page)) <= 0, 'the copied course fits 360 px');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the course screens have no WCAG A/AA violations and thumb-sized controls at 360 px', async () => {
    const token = await apiToken(DEMO.manager);
    // A draft, so that the editor's forms are checked too.
    const some = (await apiGet(token, '/courses?status=draft')).items[0] ?? (await apiGet(token, '/courses')).items[0];
    const paths = ['/khoa-hoc', '/khoa-hoc/moi', '/thu-vien', ...(some ? [`/khoa-hoc/${some.id}/sua`] : [])];
    for (const path of paths) {
      const { context, page } = await newPage(b.browser, { bypassCSP: true });
      try {
        await signIn(page, DEMO.manager);
        await page.goto(BASE_URL + path);
        await page.locator('main h1').waitFor();
        await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 10_000 });
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await axe(page), [], path);
        assert.deepEqual(await smallTargets(page), [], path);
      } finally {
        await context.close();
      }
    }
  });

  for (const [who, account] of [['province officer', DEMO.officerProvince], ['teacher', DEMO.teacher], ['administrator', DEMO.admin]]) {
    it(`the ${who} has the course list in the navigation, and it fits 320 px`, async () => {
      const { context, page, errors } = await newPage(b.browser, { width: 320 });
      try {
        await signIn(page, account);
        await page.locator('.mainnav a[href="/khoa-hoc"]').click();
        await page.waitForURL((u) => u.pathname === '/khoa-hoc');
        await page.locator('[data-testid="courses-list"], [data-testid="courses-empty"], .empty').first().waitFor();
        assert.ok((await overflow(page)) <= 0, '/khoa-hoc fits 320 px');
        // Teachers edit lessons, not courses: no "new course" for them.
        assert.equal(await page.getByTestId('course-new').count(), account === DEMO.teacher ? 0 : 1);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
