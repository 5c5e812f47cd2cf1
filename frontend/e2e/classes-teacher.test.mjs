// The teacher's own sessions (issue 11): today's, the rest of this week and
// next week, in Vietnam time (also on a phone set to another zone), each with
// its venue or online link and its class; a cancelled session struck through
// with its reason; the link to the calendar feed page. At 360 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';
import { cancelSession, openClass, tag, vnDate, vnMonday, world } from './class-fixtures.mjs';
import { clearOfMidnight } from './vnclock.mjs';

let b;
let w;
let k;
const reason = 'Trùng lịch họp tổ dân phố';
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

before(async () => {
  b = await launch();
  w = await world();
  // "Today" must stay today in Vietnam until the last test has read the lists.
  await clearOfMidnight(5);
  const today = vnDate(0);
  const monday = vnMonday();
  const otherDay = today === monday ? vnDate(1) : monday; // another day of this week
  k = await openClass(w, {
    title: `Lớp dạy sớm ${tag()}`,
    sessions: [
      { date: today, from: '05:10', to: '05:55' },
      { date: today, from: '23:10', to: '23:55', mode: 'online' },
      { date: otherDay, from: '05:10', to: '05:55' },
      { date: vnDate(9, new Date(monday + 'T12:00:00+07:00')), from: '05:10', to: '05:55', mode: 'online' }, // Wednesday next week
    ],
  });
  await cancelSession(w, k.sessions[2].id, reason);
});
after(async () => {
  // The demo teacher's hours free again for the specs after this one (a cancelled session holds no slot).
  for (const s of k?.sessions ?? []) if (s.id !== k.sessions[2].id) await cancelSession(w, s.id, 'Hết giờ kiểm thử');
  await b?.close();
});

describe('teacher: my sessions', () => {
  it('the home shows today’s sessions; the page lists today, this week and next week, cancelled struck with its reason', async () => {
    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.teacher);
      const todayCard = page.getByTestId('home-today');
      await todayCard.getByText(k.title).first().waitFor();
      assert.match(await todayCard.innerText(), /Hôm nay, 05:10–05:55/);

      await page.locator('nav.mainnav a[href="/giao-vien/buoi-day"]').click();
      await page.waitForURL((u) => u.pathname === '/giao-vien/buoi-day');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Buổi dạy của tôi');

      // Today: both sessions of the class, in time order, in person at the venue and online with the link.
      const today = page.getByTestId('teach-today');
      await today.getByText(k.title).first().waitFor();
      const mine = today.locator('[data-testid="session"]', { hasText: k.title });
      assert.equal(await mine.count(), 2);
      const first = await mine.nth(0).innerText();
      assert.match(first, /05:10–05:55/);
      assert.ok(first.includes(k.venue.name), 'the venue is named: ' + first);
      const online = mine.nth(1);
      assert.match(await online.innerText(), /23:10–23:55/);
      assert.match(await online.innerText(), /Trực tuyến/);
      // The online room's link while the session is still to come (it is over only in the last minutes of the day).
      const over = Date.now() >= Date.parse(k.sessions[1].ends_at);
      assert.equal(await online.getByTestId('session-join').count(), over ? 0 : 1);
      assert.equal(await mine.nth(0).getByTestId('session-class').getAttribute('href'), `/lop-hoc/${k.id}`);

      // This week: the cancelled session, struck through, with its reason.
      const week = page.getByTestId('teach-week');
      const cancelled = week.locator(`[data-session-id="${k.sessions[2].id}"]`);
      await cancelled.waitFor();
      assert.equal(await cancelled.getAttribute('data-status'), 'cancelled');
      assert.equal(await cancelled.locator('s', { hasText: k.title }).count(), 1, 'the title is struck through');
      assert.equal((await cancelled.getByTestId('session-cancelled').innerText()).trim(), `Buổi này đã hủy. Lý do: ${reason}`);

      // Next week: the Wednesday, under its day's name.
      const next = page.getByTestId('teach-next');
      const nextItem = next.locator(`[data-session-id="${k.sessions[3].id}"]`);
      await nextItem.waitFor();
      const day = next.locator('li.day', { has: page.locator(`[data-session-id="${k.sessions[3].id}"]`) });
      assert.match(await day.locator('h3').innerText(), /^Thứ Tư, \d{2}\/\d{2}\/\d{4}$/);
      assert.match(await nextItem.innerText(), /Trực tuyến/);
      assert.equal(await nextItem.getByTestId('session-join').getAttribute('href'), 'https://meet.jit.si/densach-e2e-lop');
      assert.equal(await nextItem.getByTestId('session-join').getAttribute('target'), '_blank');

      // The calendar feed page, filled in for me.
      assert.equal(await page.getByTestId('teach-feed').getAttribute('href'), `/lich/dong-bo?kind=teacher&subject=${w.teacherId}`);

      assert.ok((await overflow(page)) <= 0, 'no sideways scrolling at 360 px');
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(await smallTargets(page), []);
      await shot(page, 'teacher-sessions-360');
      await page.setViewportSize({ width: 320, height: 700 });
      assert.ok((await overflow(page)) <= 0, 'no sideways scrolling at 320 px');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('times are Vietnam’s even on a phone set to another time zone', async () => {
    const context = await b.browser.newContext({ baseURL: BASE_URL, viewport: { width: 360, height: 800 }, locale: 'vi-VN', timezoneId: 'America/New_York' });
    try {
      const page = await context.newPage();
      await signIn(page, DEMO.teacher);
      await page.goto('/giao-vien/buoi-day');
      const item = page.locator(`[data-session-id="${k.sessions[0].id}"]`);
      await item.waitFor();
      assert.ok(await page.getByTestId('teach-today').locator(`[data-session-id="${k.sessions[0].id}"]`).count(), 'still today in Vietnam');
      assert.match(await item.innerText(), /05:10–05:55/);
    } finally {
      await context.close();
    }
  });

  it('a learner opening it by URL is refused', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/giao-vien/buoi-day');
      await page.getByTestId('forbidden').waitFor();
    } finally {
      await context.close();
    }
  });
});
