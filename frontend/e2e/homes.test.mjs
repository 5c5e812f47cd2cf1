// Each role signs in and lands on its own home; screenshots at 360 and 1280 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const homes = [
  { name: 'admin', account: DEMO.admin, heading: 'Quản trị hệ thống', expect: ['Đơn vị hành chính', 'Lai Châu', '38 xã, phường, đặc khu', 'Trung tâm học tập cộng đồng', 'TTHTCĐ phường Tân Phong', 'Quản lý trung tâm · TTHTCĐ phường Tân Phong'] },
  { name: 'officer-province', account: DEMO.officerProvince, heading: 'Khuyến học địa bàn', expect: ['Lai Châu', 'Chưa có số liệu chỉ tiêu'] },
  { name: 'officer-commune', account: DEMO.officerCommune, heading: 'Khuyến học địa bàn', expect: ['Tân Phong', 'Chưa có số liệu chỉ tiêu'] },
  { name: 'manager', account: DEMO.manager, heading: 'Trung tâm của tôi', expect: ['TTHTCĐ phường Tân Phong', 'Chưa có buổi học nào', 'Chưa có lớp học nào', 'Học viên'] },
  // The demo teacher teaches the demo class on Mondays and Wednesdays (and the class specs add sessions today):
  // today's card holds either today's sessions or says there are none; the next one ahead is always shown.
  { name: 'teacher', account: DEMO.teacher, heading: 'Lịch dạy của tôi', expect: ['Buổi dạy hôm nay', 'Buổi dạy tới', 'Buổi dạy của tôi'], todayOrNone: 'Hôm nay chưa có buổi dạy nào.' },
  { name: 'learner', account: DEMO.learner, heading: 'Việc học của tôi', expect: ['Bạn đang học 1 khóa học trực tuyến.', 'Chưa có lịch học.', 'Bạn chưa có chứng chỉ nào.'] },
];

describe('role homes', () => {
  for (const h of homes) {
    it(`${h.name} signs in and lands on ${h.account.home}`, async () => {
      const { context, page, errors } = await newPage(b.browser);
      try {
        await signIn(page, h.account);
        assert.equal(new URL(page.url()).pathname, h.account.home);
        assert.equal((await page.locator('main h1').textContent()).trim(), h.heading);
        const main = page.locator('main');
        for (const text of h.expect) await main.getByText(text, { exact: false }).first().waitFor();
        if (h.todayOrNone) {
          const today = await main.getByTestId('home-today').count();
          const none = await main.getByText(h.todayOrNone).count();
          assert.equal(today + none, 1, 'either today’s sessions or the words saying there are none');
        }
        // Wait until figures have loaded, so the screenshots show them.
        await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 10_000 });
        await shot(page, `home-${h.name}-360`);
        await page.setViewportSize({ width: 1280, height: 900 });
        await shot(page, `home-${h.name}-1280`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }

  it('the admin home takes every figure from one summary answer', async () => {
    const { context, page, errors } = await newPage(b.browser);
    const asked = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/v1/') && r.method() === 'GET') asked.push(u.pathname + u.search);
    });
    try {
      await signIn(page, DEMO.admin);
      await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 10_000 });
      const summaries = asked.filter((p) => p === '/api/v1/summary');
      assert.equal(summaries.length, 1, `one summary request, got ${JSON.stringify(asked)}`);
      // No figure is computed from lists any more: no unit list, no one-item people pages.
      assert.deepEqual(asked.filter((p) => p.startsWith('/api/v1/units') || p.includes('page_size=1&') || p.endsWith('page_size=1')), []);
      const figure = async (label) =>
        (await page.locator('.stat').filter({ has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.stat-value').textContent()).trim();
      assert.match(await figure('Tổng số người'), /^\d[\d.]*$/);
      assert.equal(await figure('Trung tâm'), '4', 'the demo has four centres');
      assert.equal(await figure('Chi hội khuyến học'), '4', 'and four association branches');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the manager home shows the centre’s learner count from the people API', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.manager);
      const stat = page.locator('.stat', { hasText: 'Học viên' });
      // A figure still loading says so in its own value (not with .loading).
      await page.waitForFunction(() => {
        const v = [...document.querySelectorAll('main .stat')].find((el) => el.textContent.includes('Học viên'))?.querySelector('.stat-value');
        return v && !v.classList.contains('muted');
      });
      const value = (await stat.locator('.stat-value').textContent()).trim();
      assert.match(value, /^\d[\d.]*$/, `learner count is a number, got "${value}"`);
      assert.ok(Number(value.replace(/\./g, '')) >= 1, 'the demo centre has at least the demo learner');
    } finally {
      await context.close();
    }
  });

  it('a person with two roles can switch between their homes', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.managerTeacher);
      await page.locator('main').getByText('TTHTCĐ phường Đoàn Kết').first().waitFor();
      await page.locator('#role-switch').selectOption('teacher');
      await page.waitForURL((u) => u.pathname === '/giao-vien');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Lịch dạy của tôi');
      // The teacher's navigation has no people administration.
      assert.equal(await page.locator('nav.mainnav a[href="/nguoi"]').count(), 0);
      await shot(page, 'home-manager-teacher-switched-360');
      // The choice is remembered: "/" opens the teacher home again.
      await page.goto('/');
      await page.waitForURL((u) => u.pathname === '/giao-vien');
      await page.locator('#role-switch').selectOption('manager');
      await page.waitForURL((u) => u.pathname === '/quan-ly');
      assert.equal(await page.locator('nav.mainnav a[href="/nguoi"]').count(), 1);
    } finally {
      await context.close();
    }
  });

  it('a wrong password gets the generic message and no session', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/dang-nhap');
      await page.locator('#login').fill(DEMO.teacher.login);
      await page.locator('#password').fill('sai-mat-khau');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      const alert = page.locator('main [role="alert"]');
      await alert.waitFor();
      assert.ok((await alert.textContent()).trim().length > 5);
      assert.equal(new URL(page.url()).pathname, '/dang-nhap');
    } finally {
      await context.close();
    }
  });
});
