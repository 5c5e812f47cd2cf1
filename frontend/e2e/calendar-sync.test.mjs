// Calendar sync at 360 px: the demo teacher makes a link to their teaching
// schedule, a calendar application (here Node's fetch, outside the browser,
// without any sign-in) reads the .ics at the https address, the teacher
// revokes the link after confirming, and the address then answers 404. The
// demo learner makes a link to their own schedule from a pre-filled address.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** Fetches a feed as a calendar application does: no cookie, no token. */
async function fetchFeed(url) {
  const res = await fetch(url, { cache: 'no-store' });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('calendar sync', () => {
  it('the teacher makes a link, the .ics answers, the revoked link 404s', async () => {
    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.teacher);
      // From their sessions, as the nav leads a teacher (the feed page is no nav item of its own).
      await page.locator('nav.mainnav a[href="/giao-vien/buoi-day"]').click();
      await page.getByRole('link', { name: 'Thêm lịch dạy vào điện thoại' }).click();
      await page.waitForURL((u) => u.pathname === '/lich/dong-bo');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Đồng bộ lịch');
      // A teacher is offered their own teaching schedule first.
      assert.equal(await page.locator('#feed-kind').inputValue(), 'teacher');
      await page.locator('#feed-subject option', { hasText: 'Tôi (' }).waitFor({ state: 'attached' });
      assert.match(await page.locator('#feed-subject option:checked').textContent(), /^Tôi \(/);
      await page.getByRole('button', { name: 'Tạo liên kết' }).click();

      const created = page.getByTestId('feed-created');
      await created.waitFor();
      assert.match(await created.textContent(), /chỉ hiện một lần/);
      const https = await page.locator('#feed-https').inputValue();
      const webcal = await page.locator('#feed-webcal').inputValue();
      assert.match(https, /^https?:\/\/[^/]+\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
      assert.equal(webcal, https.replace(/^https?:\/\//, 'webcal://'));
      assert.equal(await created.getByRole('link', { name: 'Mở trong ứng dụng lịch' }).getAttribute('href'), webcal);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
      assert.deepEqual(await smallTargets(page), []);
      assert.deepEqual(await axe(page), []);
      await shot(page, 'calendar-sync-created-360');

      // The calendar application's fetch.
      const feed = await fetchFeed(https);
      assert.equal(feed.status, 200);
      assert.equal(feed.type, 'text/calendar; charset=utf-8');
      assert.match(feed.body, /^BEGIN:VCALENDAR\r\n/);
      assert.match(feed.body, /\r\nMETHOD:PUBLISH\r\n/);
      assert.match(feed.body, /\r\nX-WR-CALNAME:Lịch dạy · /);
      assert.match(feed.body, /\r\nBEGIN:VEVENT\r\n/, 'the demo class has sessions this week and next');
      assert.match(feed.body.replace(/\r\n[ \t]/g, ''), /\r\nSUMMARY:Kỹ năng số cơ bản — lớp buổi tối tổ 5\r\n/);

      // The list shows the link, without its address.
      const list = page.getByTestId('feed-list');
      const item = list.locator('li', { hasText: 'Lịch dạy:' }).first();
      await item.waitFor();
      assert.ok(!(await list.textContent()).includes(https.split('/ical/')[1]), 'the token is not shown again');

      // Revoke, after confirming.
      await page.getByRole('button', { name: 'Xong' }).click();
      await item.getByRole('button', { name: 'Thu hồi' }).click();
      await item.getByText(/Thu hồi liên kết ".*"\? Các ứng dụng lịch/).waitFor();
      await item.getByRole('button', { name: 'Thu hồi liên kết' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã thu hồi liên kết.' }).waitFor();
      await shot(page, 'calendar-sync-revoked-360');

      const gone = await fetchFeed(https);
      assert.equal(gone.status, 404);
      assert.ok(!gone.body.includes('VCALENDAR'));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the learner makes a link to their schedule from a pre-filled address', async () => {
    const { context, page, errors } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/lich/dong-bo?kind=learner');
      await page.locator('main h1').waitFor();
      assert.equal(await page.locator('#feed-kind').inputValue(), 'learner');
      await page.locator('#feed-subject option:checked', { hasText: 'Tôi (' }).waitFor({ state: 'attached' });
      await page.getByRole('button', { name: 'Tạo liên kết' }).click();
      await page.getByTestId('feed-created').waitFor();
      const https = await page.locator('#feed-https').inputValue();
      const feed = await fetchFeed(https);
      assert.equal(feed.status, 200);
      assert.match(feed.body, /\r\nX-WR-CALNAME:Lịch học · /);
      assert.match(feed.body, /\r\nEND:VCALENDAR\r\n$/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the manager reaches it from the account page and subscribes to a class', async () => {
    const { context, page, errors } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/tai-khoan');
      await page.getByRole('link', { name: 'Mở Đồng bộ lịch' }).click();
      await page.waitForURL((u) => u.pathname === '/lich/dong-bo');
      assert.equal(await page.locator('#feed-kind').inputValue(), 'class');
      const option = page.locator('#feed-subject option', { hasText: 'Kỹ năng số cơ bản — lớp buổi tối tổ 5' });
      await option.waitFor({ state: 'attached' });
      await page.locator('#feed-subject').selectOption(await option.getAttribute('value'));
      await page.getByRole('button', { name: 'Tạo liên kết' }).click();
      await page.getByTestId('feed-created').waitFor();
      const feed = await fetchFeed(await page.locator('#feed-https').inputValue());
      assert.equal(feed.status, 200);
      const body = feed.body.replace(/\r\n[ \t]/g, '');
      assert.match(body, /\r\nX-WR-CALNAME:Kỹ năng số cơ bản — lớp buổi tối tổ 5 · /);
      assert.match(body, /\r\nLOCATION:[^\r]*Tổ dân phố số 5\\, phường Tân Phong\\, Lai Châu\r\n/, 'the venue with its address');
      assert.match(body, /\r\nLOCATION:https:\/\/meet\.jit\.si\/densach-tan-phong-ky-nang-so\r\n/, 'an online session at its link');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
