// The people list on a phone (320 and 360 px): the filters fold away, the
// results are in view after a search, either tone placement finds a name,
// the centre filter offers only the caller's centres, and places and birth
// years read as people say them (issue 8, "The people list and search").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

// The demo learner spelled with the old tone placement (cmd/densach/seed.go).
const THUY = 'Lò Thị Thủy';

/** Whether an element lies wholly inside the window. */
async function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
}

/** Types a query and presses Enter, as a person searching on a phone does. */
async function search(page, q) {
  await page.locator('#people-q').fill(q);
  await page.locator('#people-q').press('Enter');
  await page.waitForURL((u) => u.searchParams.get('q') === q);
}

for (const width of [320, 360]) {
  describe(`people list at ${width} px`, () => {
    it('folds the filters away and brings the results into view after a search', async () => {
      const { context, page, errors } = await newPage(b.browser, { width, height: 640 });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/nguoi');
        await page.locator('.list.people').waitFor();
        const filters = page.locator('#people-filters');
        const toggle = page.getByRole('button', { name: 'Bộ lọc' });
        assert.equal(await filters.isVisible(), false, 'the filters start folded');
        await toggle.click();
        await page.locator('#f-centre').waitFor({ state: 'visible' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        await toggle.click();
        await filters.waitFor({ state: 'hidden' });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

        // Open, search: the filters fold and the count above the results
        // has the focus, inside the screen.
        await toggle.click();
        await page.locator('#f-centre').waitFor({ state: 'visible' });
        await search(page, 'Lò');
        const heading = page.locator('#people-results');
        await page.waitForFunction(() => document.activeElement?.id === 'people-results');
        await filters.waitFor({ state: 'hidden' });
        assert.ok(await inView(heading), 'the results heading is on screen');
        assert.ok(await inView(page.locator('.list.people > li').first()), 'the first result is on screen');
        await shot(page, `people-search-results-${width}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('finds a name whichever vowel carries the tone', async () => {
      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/nguoi');
        for (const q of ['Thuỷ', 'Thủy', 'thi thuy']) {
          await search(page, q);
          await page.locator('.list.people .list-main').filter({ hasText: THUY }).waitFor();
        }
      } finally {
        await context.close();
      }
    });

    it('offers only the centres in the caller’s scope', async () => {
      const cases = [
        { account: DEMO.manager, want: ['TTHTCĐ phường Tân Phong'] },
        { account: DEMO.officerCommune, want: ['TTHTCĐ phường Tân Phong'] },
        { account: DEMO.officerProvince, want: ['TTHTCĐ phường Tân Phong', 'TTHTCĐ phường Đoàn Kết', 'TTHTCĐ xã Bình Lư', 'TTHTCĐ xã Sìn Hồ'] },
      ];
      for (const { account, want } of cases) {
        const { context, page } = await newPage(b.browser, { width });
        try {
          await signIn(page, account);
          await page.goto('/nguoi');
          await page.getByRole('button', { name: 'Bộ lọc' }).click();
          const options = page.locator('#f-centre option');
          await options.nth(want.length).waitFor({ state: 'attached' });
          const got = (await options.allTextContents()).map((s) => s.trim());
          assert.equal(got[0], 'Tất cả trung tâm');
          assert.deepEqual(got.slice(1).sort(), [...want].sort(), `centres offered to ${account.login}`);
        } finally {
          await context.close();
        }
      }
    });

    it('shows places with their kind and "Năm sinh" for a year alone', async () => {
      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.officerProvince);
        await page.goto('/nguoi');
        await search(page, 'Chẻo Văn Vinh');
        await page.locator('.list.people li').filter({ hasText: 'Chẻo Văn Vinh' }).locator('.list-sub').filter({ hasText: 'Xã Sìn Hồ' }).waitFor();

        await search(page, THUY);
        const row = page.locator('.list.people li').filter({ hasText: THUY });
        await row.locator('.list-sub').filter({ hasText: 'Phường Tân Phong' }).waitFor();
        await page.getByRole('button', { name: 'Bộ lọc' }).click();
        assert.ok((await page.locator('#f-commune option').allTextContents()).some((s) => s.trim() === 'Phường Tân Phong'));

        await row.locator('a').click();
        await page.waitForURL((u) => /^\/nguoi\/\d+$/.test(u.pathname));
        const facts = page.locator('dl.facts');
        await facts.locator('div').filter({ has: page.locator('dt', { hasText: 'Năm sinh' }) }).locator('dd', { hasText: '1987' }).waitFor();
        assert.equal(await facts.locator('dt', { hasText: 'Ngày sinh' }).count(), 0);
        await facts.locator('dd', { hasText: 'Phường Tân Phong' }).waitFor();
        await shot(page, `person-year-only-${width}`);
      } finally {
        await context.close();
      }
    });
  });
}
