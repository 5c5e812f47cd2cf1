// The learner's catalogue and course page (issue 9), on a phone: the demo
// learner searches "ky nang so" without diacritics, finds "Kỹ năng số cơ bản
// cho người dân", opens it, sees its competences (grouped, with the
// digital-skill training badge) and the sizes of its files before any
// download, and opens the PDF lesson, whose presigned URL answers 200 with
// application/pdf, and the video lesson, which plays from the object store.
// Plus the catalogue at 320 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

const TITLE = 'Kỹ năng số cơ bản cho người dân';
// Another demo course the learner may take, which "ky nang so" does not find.
const OTHER = 'Trồng chè an toàn';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** How far the page scrolls sideways (0 or less: it fits). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('course catalogue (learner)', () => {
  it('finds the digital-skills course without diacritics, shows its competences and sizes, opens its PDF and plays its video at 360 px', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    try {
      await signIn(page, DEMO.learner);
      // From the learner's home to the catalogue.
      await page.locator('main a[href="/danh-muc"]').click();
      await page.waitForURL((u) => u.pathname === '/danh-muc');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Danh mục khóa học');

      // Before the search the catalogue lists every course the learner may take.
      await page.locator('.course-card', { hasText: OTHER }).waitFor();
      await page.locator('#catalogue-q').fill('ky nang so');
      // The search runs a moment after typing stops and stays in the address;
      // its results replace the full list (the other course goes away).
      await page.waitForURL((u) => u.searchParams.get('q') === 'ky nang so');
      await page.locator('.course-card', { hasText: OTHER }).waitFor({ state: 'detached' });
      const card = page.locator('.course-card', { hasText: TITLE });
      await card.waitFor();
      const cardText = await card.textContent();
      assert.match(cardText, /Đào tạo kỹ năng số/, 'the card shows the digital-skill training badge');
      assert.match(cardText, /1\.1/, 'the card shows its competences');
      assert.ok((await overflow(page)) <= 0, 'the catalogue fits 360 px');
      await shot(page, 'courses-catalogue-360');

      await card.getByRole('link', { name: TITLE }).click();
      await page.waitForURL((u) => /^\/khoa-hoc\/\d+$/.test(u.pathname));
      await page.getByTestId('course-page').waitFor();
      assert.equal((await page.locator('main h1').textContent()).trim(), TITLE);

      // Competences grouped by framework, with level names and the kind badge.
      const comps = page.getByTestId('competence');
      await comps.first().waitFor();
      const codes = (await comps.allTextContents()).map((s) => s.trim().split(/\s+/)[0]);
      for (const code of ['1.1', '2.1', '4.2']) assert.ok(codes.includes(code), `competence ${code} shown: ${codes.join(', ')}`);
      assert.match(await comps.first().textContent(), /mức (CB1|CB2)/, 'the level is named');
      assert.equal((await page.getByTestId('kind-badge').first().textContent()).trim(), 'Đào tạo kỹ năng số');

      // Lessons with their kinds; file sizes before any download.
      const kinds = await page.getByTestId('lesson').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      for (const k of ['text', 'document', 'video', 'link']) assert.ok(kinds.includes(k), `a ${k} lesson is listed: ${kinds.join(', ')}`);
      const doc = page.locator('[data-testid="lesson"][data-kind="document"]').first();
      const sizeText = (await doc.getByTestId('lesson-size').textContent()).trim();
      assert.match(sizeText, /^\d+(,\d)? (B|KB|MB)$/, `the document's size is shown: ${sizeText}`);
      assert.ok((await overflow(page)) <= 0, 'the course page fits 360 px');
      await shot(page, 'courses-page-360');

      // Open the PDF lesson: view and download links from a presigned URL.
      await doc.getByRole('button', { name: 'Mở' }).click();
      const open = doc.getByTestId('open-document');
      await open.waitFor();
      assert.equal(await open.getAttribute('target'), '_blank');
      assert.match(await open.getAttribute('rel'), /noopener/);
      assert.match(await doc.getByTestId('download-document').textContent(), new RegExp('Tải về \\(' + sizeText + '\\)'));
      const href = await open.getAttribute('href');
      const res = await fetch(href);
      assert.equal(res.status, 200, `the presigned URL answers 200: ${href}`);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      const head = Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString('latin1');
      assert.equal(head, '%PDF-', 'the file is the PDF');
      // The browser opens it in a new tab.
      const [tab] = await Promise.all([context.waitForEvent('page'), open.click()]);
      await tab.waitForLoadState('domcontentloaded').catch(() => {});
      assert.ok(tab.url().startsWith(href.split('?')[0]), `the PDF opens in a new tab: ${tab.url()}`);
      await tab.close();
      await shot(page, 'courses-pdf-lesson-360');

      // The video lesson plays straight from the object store: the player's
      // source is a presigned URL on the store's origin (the PDF's), and the
      // Content-Security-Policy lets the browser load it (metadata arrives).
      const blocked = [];
      page.on('console', (m) => /Content Security Policy/i.test(m.text()) && blocked.push(m.text()));
      const video = page.locator('[data-testid="lesson"][data-kind="video"]').first();
      await video.getByRole('button', { name: 'Mở' }).click();
      const player = video.getByTestId('video');
      await player.waitFor();
      const src = await player.getAttribute('src');
      const store = new URL(href).origin;
      assert.equal(new URL(src).origin, store, `the video comes from the object store: ${src}`);
      assert.notEqual(store, new URL(page.url()).origin, 'the bytes do not pass through our server');
      const csp = (await page.request.get('/danh-muc')).headers()['content-security-policy'];
      await player
        .evaluate((v) => v.readyState > 0 || new Promise((ok, fail) => {
          v.addEventListener('loadedmetadata', () => ok(true), { once: true });
          v.addEventListener('error', () => fail(new Error('media error ' + v.error?.code)), { once: true });
          setTimeout(() => fail(new Error('no metadata within 10 s')), 10_000);
        }))
        .catch((e) => assert.fail(`the video loads (${e.message}); CSP: ${csp}; blocked: ${blocked.join(' | ')}`));
      assert.ok((await player.evaluate((v) => v.readyState)) > 0, 'the player has the video\'s metadata');
      assert.deepEqual(blocked, [], 'the Content-Security-Policy blocks nothing');
      assert.ok((await overflow(page)) <= 0, 'the opened video fits 360 px');
      await shot(page, 'courses-video-lesson-360');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the catalogue is usable at 320 px', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 320 });
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/danh-muc');
      await page.locator('.course-card').first().waitFor();
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.locator('#f-competence').waitFor();
      assert.ok((await overflow(page)) <= 0, `no sideways scrolling at 320 px (overflow ${await overflow(page)}px)`);
      // A search that finds nothing says what to do next.
      await page.locator('#catalogue-q').fill('khong co khoa hoc nao nhu the nay');
      await page.getByTestId('catalogue-next').waitFor();
      assert.ok((await overflow(page)) <= 0, 'the empty state fits 320 px');
      await shot(page, 'courses-catalogue-320');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
