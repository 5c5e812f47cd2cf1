// A course's cover and its lessons' competence tags (issue 9), at 360 px: the
// manager creates a course, uploads a PNG cover in the editor (the upload
// with its progress bar, confirmed, saved to the draft), adds a text lesson
// tagged with a competence in the lesson's folded picker, and publishes; the
// cover shows as a thumbnail in the staff's list; the learner finds the
// course in the catalogue with its thumbnail, lazily loaded with its box
// sized, and on the course page sees the cover and the lesson's tag.
//
// The pictures come from the object store's origin, which the
// Content-Security-Policy's img-src names: the pages run under the real policy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { DEMO, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A valid w×h PNG, one colour (8-bit RGB). */
function png(w = 16, h = 9) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([0x2e, 0x7d, 0x32]))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const buffer = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  return { name: 'Ảnh bìa.png', mimeType: 'image/png', buffer };
}

/** The cover image's state once it has loaded (scrolled to: it loads lazily): its attributes and size. */
async function coverOf(locator) {
  await locator.waitFor();
  await locator.scrollIntoViewIfNeeded();
  await locator.evaluate((img) =>
    img.complete && img.naturalWidth
      ? null
      : new Promise((ok, bad) => {
          img.addEventListener('load', ok);
          img.addEventListener('error', () => bad(new Error('the cover did not load: ' + img.src)));
          setTimeout(() => bad(new Error('the cover did not load within 10 s')), 10_000);
        }),
  );
  return locator.evaluate((img) => ({
    loading: img.getAttribute('loading'), width: img.getAttribute('width'), height: img.getAttribute('height'),
    natural: img.naturalWidth, alt: img.getAttribute('alt'), src: img.src,
  }));
}

describe('course cover and lesson tags', () => {
  it('the manager uploads a PNG cover and tags a lesson; the learner sees both at 360 px', async () => {
    const title = 'Ảnh bìa thử ' + Date.now().toString(36);
    let courseId;
    {
      const { context, page, errors } = await newPage(b.browser, { width: 360 });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/khoa-hoc/moi');
        await page.locator('#course-title').fill(title);
        await page.locator('#course-category').selectOption('digital_skills');
        await page.getByTestId('course-create').click();
        await page.waitForURL((u) => /^\/khoa-hoc\/\d+\/sua$/.test(u.pathname));
        courseId = Number(new URL(page.url()).pathname.split('/')[2]);

        // The cover: uploaded with the lesson files' upload, saved at once.
        const editor = page.getByTestId('cover-editor');
        await editor.getByText('Khóa học chưa có ảnh bìa.').waitFor();
        await page.locator('#cover-upload').setInputFiles(png());
        await editor.getByText('Đã lưu ảnh bìa.').waitFor();
        const inEditor = await coverOf(editor.getByTestId('course-cover'));
        assert.ok(inEditor.natural === 16, 'the cover shows in the editor');
        const token = await apiToken(DEMO.manager);
        const draft = await apiGet(token, `/courses/${courseId}?version=draft`);
        assert.ok(draft.cover_material_id, 'the draft has its cover');
        assert.match(draft.cover_url, /X-Amz-Signature=/);
        assert.match(decodeURIComponent(draft.cover_url), /response-content-type=image\/png/);

        // A module and a text lesson tagged with a competence (folded picker).
        await page.locator('#new-module').fill('Chương 1');
        await page.getByTestId('add-module').click();
        const addLesson = page.locator('[data-testid^="add-lesson-"]').first();
        const m = (await addLesson.getAttribute('data-testid')).replace('add-lesson-', '');
        await addLesson.click();
        await page.locator(`#new${m}-title`).fill('Bài 1: bật điện thoại');
        await page.locator(`#new${m}-body`).fill('Nhấn giữ nút nguồn.');
        const tags = page.getByTestId('lesson-tags');
        assert.equal(await tags.evaluate((d) => d.open), false, 'the lesson picker starts folded');
        await tags.locator('summary').click();
        await page.locator(`#new${m}-tags-fw`).selectOption({ index: 1 });
        await page.locator(`#new${m}-tags-c`).selectOption({ index: 1 });
        await tags.getByRole('button', { name: 'Thêm năng lực' }).click();
        await page.getByTestId('lesson-save').click();
        await page.locator('[data-testid="lesson"] .list-main', { hasText: 'Bài 1: bật điện thoại' }).waitFor();
        const saved = await apiGet(token, `/courses/${courseId}?version=draft`);
        assert.equal(saved.modules[0].lessons[0].tags.length, 1, 'the lesson keeps its tag');

        // Publish.
        await page.getByTestId('publish').click();
        await page.getByTestId('publish-confirm').click();
        await page.getByText('Đã xuất bản phiên bản 1.').waitFor();
        assert.ok((await overflow(page)) <= 0, 'the editor fits 360 px');
        await shot(page, 'courses-cover-editor-360');

        // The staff's list: a small thumbnail beside the course.
        await page.goto('/khoa-hoc');
        const row = page.getByTestId('courses-list').locator('li', { hasText: title });
        const thumb = await coverOf(row.getByTestId('course-cover'));
        assert.deepEqual([thumb.loading, thumb.width, thumb.height, thumb.alt], ['lazy', '80', '60', '']);
        assert.ok((await overflow(page)) <= 0, 'the list fits 360 px');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }

    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/danh-muc');
      await page.locator('#catalogue-q').fill(title);
      const card = page.locator('.course-card', { hasText: title });
      const thumb = await coverOf(card.getByTestId('course-cover'));
      assert.deepEqual([thumb.loading, thumb.width, thumb.height, thumb.alt], ['lazy', '80', '60', '']);
      assert.equal(thumb.natural, 16, 'the thumbnail loaded');
      assert.ok((await overflow(page)) <= 0, 'the catalogue fits 360 px');
      await shot(page, 'courses-cover-catalogue-360');

      await card.getByRole('link', { name: title }).click();
      await page.waitForURL((u) => u.pathname === `/khoa-hoc/${courseId}`);
      const coursePage = page.getByTestId('course-page');
      const cover = await coverOf(coursePage.getByTestId('course-cover'));
      assert.deepEqual([cover.loading, cover.width, cover.height], ['lazy', '640', '360']);
      assert.equal(cover.natural, 16, 'the cover loaded');
      const lesson = coursePage.getByTestId('lesson').filter({ hasText: 'Bài 1: bật điện thoại' });
      await lesson.locator('.comp-badges .badge.comp').first().waitFor();
      assert.equal(await lesson.locator('.comp-badges .badge.comp').count(), 1, 'the lesson row shows its competence badge');
      assert.ok((await overflow(page)) <= 0, 'the course page fits 360 px');
      await shot(page, 'courses-cover-page-360');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
