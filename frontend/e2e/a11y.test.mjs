// Accessibility and phone use: axe-core's WCAG 2.2 A/AA rules on each page at
// 360 px, and every control big enough for a thumb (≥ 44 × 44 px).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEMO, launch, newPage, signIn } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // @ts-ignore axe is injected above
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

/** Visible controls smaller than 44 × 44 px (a checkbox counts by its label). */
async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
      const target = el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') ?? el : el;
      if (el.matches('input[type=file]')) continue; // hidden; its label is the button
      const r = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
      if (el.classList.contains('skip')) continue; // off-screen until focused
      if (r.height < 44 || r.width < 44) small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.id).trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  });
}

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
      // (The home's own links, such as the centre's phone, may come first: stop at the navigation.)
      for (let i = 0; i < 8 && !seen.includes('Tài khoản'); i++) {
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
