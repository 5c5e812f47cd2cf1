// A teacher sees the learners of their centre, read-only and masked, from
// their own navigation (which still has no people administration), at 360 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('teacher learners', () => {
  it('the teacher opens the learners of the centre, masked and without edit links', async () => {
    const { context, page, errors } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.teacher);
      assert.equal(await page.locator('nav.mainnav a[href="/nguoi"]').count(), 0);
      await page.locator('nav.mainnav a[href="/giao-vien/hoc-vien"]').click();
      await page.waitForURL((u) => u.pathname === '/giao-vien/hoc-vien');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Học viên của trung tâm');
      const list = page.getByTestId('learners-list');
      await list.getByText('Lù Thị Ánh').waitFor();
      assert.match(await list.locator('li', { hasText: 'Lù Thị Ánh' }).textContent(), /sinh năm 1975/);
      const text = await list.textContent();
      assert.ok(!text.includes('0901000006'), 'the learner phone is masked');
      assert.equal(await list.locator('a').count(), 0, 'read-only: no links to edit');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
      await shot(page, 'teacher-learners-360');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('a learner opening it by URL is refused', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/giao-vien/hoc-vien');
      await page.getByTestId('forbidden').waitFor();
    } finally {
      await context.close();
    }
  });
});
