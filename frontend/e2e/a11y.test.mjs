// Accessibility and phone use: axe-core's WCAG 2.2 A/AA rules on each page at
// 360 px, and every control big enough for a thumb (≥ 44 × 44 px).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, axe, launch, newPage, signIn, smallTargets } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const pages = [
  { account: null, path: '/dang-nhap' },
  { account: DEMO.admin, path: '/quan-tri' },
  { account: DEMO.officerProvince, path: '/khuyen-hoc' },
  { account: DEMO.manager, path: '/quan-ly' },
  { account: DEMO.teacher, path: '/giao-vien' },
  { account: DEMO.learner, path: '/hoc-vien' },
  { account: DEMO.manager, path: '/nguoi' },
  { account: DEMO.manager, path: '/nguoi/moi' },
  { account: DEMO.manager, path: '/nguoi/nhap' },
  { account: DEMO.manager, path: '/tai-khoan' },
  { account: DEMO.teacher, path: '/quan-tri' },
];

describe('accessibility at 360 px', () => {
  for (const p of pages) {
    it(`${p.path}${p.account ? ' as ' + p.account.login : ''}: no WCAG A/AA violations, thumb-sized controls`, async () => {
      // The server's CSP forbids inline scripts, so the test context bypasses it to inject axe.
      const { context, page } = await newPage(b.browser, { bypassCSP: true });
      try {
        if (p.account) {
          await signIn(page, p.account);
          if (p.path !== p.account.home) await page.goto(p.path);
        } else {
          await page.goto(p.path);
        }
        await page.locator('main h1').waitFor();
        await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 10_000 });
        const violations = await axe(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
        assert.deepEqual(await smallTargets(page), []);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
      } finally {
        await context.close();
      }
    });
  }

  it('can be used with the keyboard alone: sign in, reach the navigation', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/dang-nhap');
      await page.locator('main h1').waitFor();
      await page.locator('#login').focus();
      await page.keyboard.type(DEMO.learner.login);
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO.learner.password);
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/hoc-vien');
      // Tab from the top: skip link, brand, then the navigation.
      await page.locator('body').focus();
      const seen = [];
      // (The home's own links — the centre's phone, my courses, the catalogue, my schedule, classes near me — may
      // come first, then the page's top, the skip link, the brand and the five navigation items: stop at the navigation.)
      for (let i = 0; i < 16 && !seen.includes('Tài khoản'); i++) {
        await page.keyboard.press('Tab');
        seen.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
      }
      assert.ok(seen.includes('Tài khoản'), 'the navigation is reachable: ' + seen.join(' | '));
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'the focused control shows a focus ring');
    } finally {
      await context.close();
    }
  });
});
