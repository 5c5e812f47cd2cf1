// "Lịch lớp học": on a 360 px phone a day list (today marked, a cancelled
// session struck through with its reason, a tap opens the class); on a
// desktop a week grid by venue or by teacher with today's column marked, a
// venue filter, the next week and the month view.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, axe, launch, newPage, shot, signIn } from './helpers.mjs';
import { apiSend, managerWorld, monday, unique, vnDay } from './classes-api.mjs';
import { clearOfMidnight } from './vnclock.mjs';

let b;
let world;
before(async () => {
  b = await launch();
  // "Today" (and this week) must stay so in Vietnam until the last test has read the calendar.
  await clearOfMidnight(5);
  // A venue of its own, a class there and two sessions today: 07:00 and 09:00 (cancelled).
  const w = await managerWorld(DEMO.manager);
  const venue = await apiSend(w.token, 'POST', '/venues', { centre_id: w.centre, name: unique('Nhà văn hoá bản Lịch'), capacity: 30 });
  assert.equal(venue.status, 201, JSON.stringify(venue.body));
  const title = unique('Lớp lịch trồng chè');
  const klass = await apiSend(w.token, 'POST', '/classes', {
    centre_id: w.centre, course_id: w.course, title, mode: 'in_person', venue_id: venue.body.id, capacity: 20,
    starts_on: monday(-1), ends_on: monday(3),
  });
  assert.equal(klass.status, 201, JSON.stringify(klass.body));
  const today = vnDay();
  const add = (h) => apiSend(w.token, 'POST', `/classes/${klass.body.id}/sessions`, { starts_at: `${today}T${h}:00:00+07:00`, ends_at: `${today}T${h}:45:00+07:00` });
  const s1 = await add('07');
  const s2 = await add('09');
  assert.equal(s1.status, 201, JSON.stringify(s1.body));
  const cancelled = await apiSend(w.token, 'POST', `/sessions/${s2.body.id}/cancel`, { reason: 'Mất điện cả bản' });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  world = { ...w, venue: venue.body, klass: klass.body, title, today };
});
after(async () => b?.close());

describe('class calendar', () => {
  it('is a day list on a 360 px phone: today marked, cancelled struck with its reason, a tap opens the class', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 360, bypassCSP: true });
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/lop-hoc');
      await page.getByTestId('class-calendar').click();
      await page.waitForURL((u) => u.pathname === '/lop-hoc/lich');
      const todayItem = page.locator(`[data-testid="cal-days"] > li[data-day="${world.today}"]`);
      await todayItem.waitFor();
      assert.equal(await page.getByTestId('cal-grid').count(), 0, 'no grid on a phone');
      assert.match(await todayItem.locator('h3').textContent(), /Hôm nay/);
      assert.ok(await todayItem.evaluate((el) => el.classList.contains('today')));
      const mine = todayItem.getByTestId('cal-session').filter({ hasText: world.title });
      assert.equal(await mine.count(), 2);
      assert.match(await mine.nth(0).textContent(), /07:00–07:45/);
      const struck = mine.nth(1);
      assert.match(await struck.textContent(), /09:00–09:45.*Đã huỷ: Mất điện cả bản/s);
      assert.equal(await struck.locator('.list-main').evaluate((el) => getComputedStyle(el).textDecorationLine), 'line-through');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
      await shot(page, 'classes-calendar-360');
      const violations = await axe(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
      await mine.nth(0).click();
      await page.waitForURL((u) => u.pathname === `/lop-hoc/${world.klass.id}`);
      assert.equal((await page.locator('main h1').textContent()).trim(), world.title);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('is a week grid on a desktop, by venue or by teacher, with a venue filter, the next week and the month', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 1280, height: 900, bypassCSP: true });
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/lop-hoc/lich');
      const grid = page.getByTestId('cal-grid');
      await grid.waitFor();
      // Today's column is marked.
      const todayHead = grid.locator('thead th[aria-current="date"]');
      assert.equal(await todayHead.count(), 1);
      const [y, m, d] = world.today.split('-');
      assert.match(await todayHead.textContent(), new RegExp(`${d}/${m}`));
      // A row per venue: ours holds both sessions today, the demo venue its Monday class.
      const row = grid.locator('tbody tr', { has: page.locator('th', { hasText: world.venue.name }) });
      assert.equal(await row.count(), 1);
      assert.equal(await row.locator('td.today').getByTestId('cal-session').count(), 2);
      assert.equal(await grid.locator('tbody th', { hasText: 'Nhà văn hoá tổ dân phố số 5' }).count(), 1);
      await shot(page, 'classes-calendar-week-1280');

      // One venue only.
      await page.locator('#cal-venue').selectOption({ label: world.venue.name });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="cal-grid"] tbody tr').length === 1);
      assert.match(page.url(), /dia-diem=\d+/);

      // By teacher: the demo class's teacher has a row; our sessions have no teacher.
      await page.locator('#cal-venue').selectOption({ index: 0 });
      await page.getByLabel('Giáo viên', { exact: true }).first().check();
      await grid.locator('tbody th', { hasText: 'Vàng Văn Dũng' }).waitFor();
      await grid.locator('tbody th', { hasText: 'Chưa có giáo viên' }).waitFor();

      // Next week: the heading moves on; back with "Hôm nay".
      const heading = await page.getByTestId('cal-heading').textContent();
      await page.getByRole('button', { name: 'Tuần sau' }).click();
      await page.waitForFunction((h) => document.querySelector('[data-testid="cal-heading"]').textContent !== h, heading);
      assert.match(page.url(), new RegExp(`tuan=${monday(1)}`));
      await page.getByRole('button', { name: 'Hôm nay' }).click();
      await page.waitForFunction((h) => document.querySelector('[data-testid="cal-heading"]').textContent === h, heading);

      // The month, of our venue only (a month's day shows three sessions and "n more", and other specs book
      // the demo centre's other venues today too).
      await page.goto(`/lop-hoc/lich?dia-diem=${world.venue.id}`);
      await grid.waitFor();
      await page.getByLabel('Tháng', { exact: true }).check();
      const month = page.getByTestId('cal-month');
      await month.waitFor();
      assert.match(await page.getByTestId('cal-heading').textContent(), new RegExp(`Tháng ${m}/${y}`));
      const cell = month.locator('td[aria-current="date"]');
      assert.equal(await cell.getByTestId('cal-session').filter({ hasText: world.title }).count(), 2);
      await shot(page, 'classes-calendar-month-1280');
      const violations = await axe(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
