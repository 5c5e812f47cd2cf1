// No home is a set of empty boxes: every empty state says what it means and
// what to do next; the learner sees their centre with its address and whom
// to call; the manager's quick actions are on a phone's first screen (320
// and 360 px) and the figures are links to the lists behind them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** Every empty state on the page carries a next step, and the page does not scroll sideways. */
async function noBareEmptyBoxes(page, who) {
  await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 10_000 });
  const bare = await page.evaluate(() =>
    [...document.querySelectorAll('main .empty')].filter((el) => !el.querySelector('.empty-next')?.textContent.trim()).map((el) => el.textContent.trim()),
  );
  assert.deepEqual(bare, [], `${who}: every empty state offers a next step`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${who}: no sideways scrolling (overflow ${overflow}px)`);
}

// Small phones: 320 × 568 (the smallest still in use) and 360 × 640.
for (const [width, height] of [
  [320, 568],
  [360, 640],
]) {
  describe(`homes at ${width} × ${height} px`, () => {
    it('manager: quick actions above the fold, the learner figure opens the filtered list, how to open a first class', async () => {
      const { context, page, errors } = await newPage(b.browser, { width, height });
      try {
        await signIn(page, DEMO.manager);
        const quick = page.getByTestId('quick-actions');
        // The first screen ends at the window's bottom, or above the bottom navigation bar on a phone.
        const fold = await page.evaluate(() => {
          const bars = [...document.querySelectorAll('nav')].map((n) => n.getBoundingClientRect()).filter((r) => r.height > 0 && r.bottom >= window.innerHeight - 1 && r.top > window.innerHeight / 2);
          return Math.min(window.innerHeight, ...bars.map((r) => r.top));
        });
        for (const a of await quick.locator('a').all()) {
          const box = await a.boundingBox();
          assert.ok(box && box.y >= 0 && box.y + box.height <= fold && box.x + box.width <= width, `"${(await a.textContent()).trim()}" is on the first screen (above ${fold} px): ${JSON.stringify(box)}`);
        }
        console.log(`${width} × ${height}: the first screen ends at ${fold} px; the last quick action ends at ${Math.round((await quick.locator('a').last().boundingBox()).y + (await quick.locator('a').last().boundingBox()).height)} px`);
        assert.equal(await quick.locator('a').count(), 3);
        const next = page.locator('main .empty', { hasText: 'Trung tâm chưa có lớp học nào.' });
        await next.getByText('Để mở lớp đầu tiên').waitFor();
        assert.equal(await next.getByRole('link', { name: 'Xem các khóa học' }).getAttribute('href'), '/khoa-hoc');
        await noBareEmptyBoxes(page, 'manager');
        await shot(page, `home-manager-fold-${width}`);

        const figure = page.locator('a.stat', { hasText: 'Học viên' });
        const n = (await figure.locator('.stat-value').textContent()).trim();
        await figure.click();
        await page.waitForURL((u) => u.pathname === '/nguoi' && u.searchParams.get('vai_tro') === 'learner' && !!u.searchParams.get('tt'));
        await page.locator('#f-role').waitFor({ state: 'attached' });
        assert.equal(await page.locator('#f-role').inputValue(), 'learner');
        await page.waitForFunction(() => !document.querySelector('main .loading'), null, { timeout: 10_000 });
        const shown = await page.locator('main ul.people > li').count();
        assert.ok(shown >= 1 && shown <= Number(n.replace(/\./g, '')), `the list behind the figure ${n} shows its learners (${shown})`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('learner: the centre, its address and whom to call; each empty box says what comes next', async () => {
      const token = await apiToken(DEMO.learner);
      const mine = await apiGet(token, '/centres/mine');
      assert.equal(mine.items.length, 1, 'the demo learner is enrolled at one centre');
      const centre = mine.items[0];
      assert.ok(centre.contacts.length >= 1, 'the centre has a manager to contact');
      const { context, page, errors } = await newPage(b.browser, { width, height });
      try {
        await signIn(page, DEMO.learner);
        const card = page.getByTestId('my-centres');
        await card.getByText(centre.name).waitFor();
        if (centre.address) await card.getByText(centre.address, { exact: false }).waitFor();
        const c = centre.contacts[0];
        await card.getByText(c.name).waitFor();
        assert.equal(await card.locator(`a[href="tel:${c.phone}"]`).count(), 1, 'the phone is a tap to call');
        await noBareEmptyBoxes(page, 'learner');
        await shot(page, `home-learner-centre-${width}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('teacher, officer and admin: no bare empty box, and the figures link to their lists', async () => {
      for (const who of ['teacher', 'officerCommune', 'admin']) {
        const { context, page, errors } = await newPage(b.browser, { width, height });
        try {
          await signIn(page, DEMO[who]);
          await noBareEmptyBoxes(page, who);
          if (who === 'teacher') {
            await page.getByRole('link', { name: 'Xem học viên của trung tâm' }).waitFor();
            await page.getByTestId('my-centres').getByText('TTHTCĐ', { exact: false }).first().waitFor();
          }
          if (who === 'officerCommune') {
            const row = page.getByTestId('by-commune').locator('a').first();
            const href = await row.getAttribute('href');
            assert.match(href, /^\/nguoi\?xa=\d+$/);
            await row.click();
            await page.waitForURL((u) => u.pathname === '/nguoi' && u.search === href.slice('/nguoi'.length));
          }
          if (who === 'admin') {
            assert.equal(await page.locator('a.stat', { hasText: 'Tổng số người' }).getAttribute('href'), '/nguoi');
            assert.equal(await page.locator('a.stat', { hasText: 'Trung tâm' }).first().getAttribute('href'), '/quan-tri/trung-tam');
          }
          await shot(page, `home-${who}-next-${width}`);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      }
    });
  });
}
