// The administrator's background-job screen: reached from the admin home,
// says plainly when no job failed, lists the periodic purges the demo seed
// left, is usable at 360 px, and refuses everyone else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('background jobs', () => {
  it('the administrator opens it from the home page, sees no failed job, then the purges', async () => {
    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.admin);
      await page.getByRole('link', { name: 'Xem công việc nền' }).click();
      await page.waitForURL((u) => u.pathname === '/quan-tri/cong-viec');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Công việc nền');
      assert.equal(await page.locator('#jobs-state').inputValue(), 'failed');
      await page.getByText('Không có công việc nào bị lỗi.').waitFor();
      await shot(page, 'jobs-admin-no-failed-360');

      await page.locator('#jobs-state').selectOption('all');
      await page.waitForURL((u) => u.searchParams.get('trang_thai') === 'all');
      const list = page.getByTestId('jobs-list');
      await list.getByText('Xoá phiên đăng nhập đã hết hạn').first().waitFor();
      await list.getByText('Xoá bộ đếm đăng nhập sai đã cũ').first().waitFor();
      await shot(page, 'jobs-admin-all-360');

      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        // @ts-ignore axe is injected above
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
        return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('main a[href], main button, main select')]
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.width > 0 && (r.width < 44 || r.height < 44)).length,
      );
      assert.equal(small, 0, 'every control is at least 44 × 44 px');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('speaks English when asked', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await context.addInitScript(() => localStorage.setItem('densach.lang', 'en'));
      await signIn(page, DEMO.admin);
      await page.goto('/quan-tri/cong-viec');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Background jobs');
      await page.getByText('No failed jobs.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('a centre manager opening it by URL is refused', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/quan-tri/cong-viec');
      await page.getByTestId('forbidden').waitFor();
      assert.equal(await page.getByTestId('jobs-list').count(), 0);
    } finally {
      await context.close();
    }
  });
});
