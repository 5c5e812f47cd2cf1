// Venues of a centre at 360 px and on a desktop: the manager adds one
// (a missing name is named beside its field), changes it, sets it out of
// use; a teacher of the centre reads the list but cannot change it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, apiToken, axe, launch, newPage, shot, signIn } from './helpers.mjs';
import { unique } from './classes-api.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

for (const width of [360, 1280]) {
  describe(`venues at ${width} px`, () => {
    it('a manager adds, changes and retires a venue', async () => {
      const name = unique('Nhà văn hoá bản Nà Khuổng');
      const { context, page, errors } = await newPage(b.browser, { width, bypassCSP: true });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/lop-hoc');
        await page.getByTestId('class-venues').click();
        await page.waitForURL((u) => u.pathname === '/lop-hoc/dia-diem');
        await page.getByTestId('venues-list').getByText('Nhà văn hoá tổ dân phố số 5').waitFor();
        await page.getByTestId('venue-new').click();
        const form = page.getByTestId('venue-form');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'venue-name', 'the name takes the focus');
        // No name: the server's error is shown beside the field, in Vietnamese.
        await form.getByRole('button', { name: 'Lưu' }).click();
        const err = form.locator('[data-field="venue-name"] .error');
        await err.waitFor();
        assert.equal((await err.textContent()).trim(), 'Cần điền mục này.');

        await page.locator('#venue-name').fill(name);
        await page.locator('#venue-address').fill('Bản Nà Khuổng, phường Tân Phong');
        await page.locator('#venue-capacity').fill('40');
        await page.locator('#venue-computers').fill('12');
        await form.getByLabel('Có máy chiếu').check();
        await form.getByLabel('Có Internet').check();
        await form.getByRole('button', { name: 'Lưu' }).click();
        await page.getByText(`Đã thêm địa điểm «${name}».`).waitFor();
        const item = page.getByTestId('venues-list').locator('li', { hasText: name });
        assert.match(await item.textContent(), /Sức chứa 40 · 12 máy tính/);
        assert.match(await item.textContent(), /Có máy chiếu[\s\S]*Có Internet[\s\S]*Đang dùng/);

        await item.getByRole('button', { name: `Sửa ${name}` }).click();
        assert.equal(await page.locator('#venue-capacity').inputValue(), '40');
        await page.locator('#venue-capacity').fill('35');
        await page.getByTestId('venue-form').getByLabel('Đang dùng').uncheck();
        await page.getByTestId('venue-form').getByRole('button', { name: 'Lưu' }).click();
        await page.getByText(`Đã lưu địa điểm «${name}».`).waitFor();
        await item.filter({ hasText: 'Sức chứa 35' }).filter({ hasText: 'Ngừng dùng' }).waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
        await shot(page, `classes-venues-${width}`);
        const violations = await axe(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));

        const token = await apiToken(DEMO.manager);
        const v = (await apiGet(token, '/venues')).items.find((x) => x.name === name);
        assert.deepEqual([v.capacity, v.computers, v.projector, v.internet, v.active], [35, 12, true, true, false]);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}

describe('venues for a teacher', () => {
  it('are listed to read, without changing', async () => {
    const { context, page } = await newPage(b.browser, { width: 360 });
    try {
      await signIn(page, DEMO.teacher);
      await page.locator('nav.mainnav a[href="/lop-hoc"]').click();
      await page.waitForURL((u) => u.pathname === '/lop-hoc');
      assert.equal(await page.getByTestId('class-new').count(), 0, 'a teacher opens no class');
      await page.getByTestId('class-venues').click();
      await page.getByTestId('venues-list').getByText('Nhà văn hoá tổ dân phố số 5').waitFor();
      await page.getByText('Bạn chỉ được xem các địa điểm.').waitFor();
      assert.equal(await page.getByTestId('venue-new').count(), 0);
      assert.equal(await page.getByTestId('venues-list').getByRole('button').count(), 0);
      // The wizard's address is refused for a teacher.
      await page.goto('/lop-hoc/moi');
      await page.getByTestId('forbidden').waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('classes for a commune officer', () => {
  it('are read-only: the demo class, its sessions, no changes offered', async () => {
    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    try {
      await signIn(page, DEMO.officerCommune);
      await page.locator('nav.mainnav a[href="/lop-hoc"]').click();
      await page.waitForURL((u) => u.pathname === '/lop-hoc');
      if ((await page.locator('#classes-centre').count()) > 0) await page.locator('#classes-centre').selectOption({ label: 'TTHTCĐ phường Tân Phong' });
      await page.getByTestId('classes-list').getByText('Kỹ năng số cơ bản — lớp buổi tối tổ 5').click();
      await page.getByText('Bạn chỉ được xem lớp này.').waitFor();
      assert.ok((await page.getByTestId('class-session').count()) > 0);
      assert.equal(await page.getByTestId('class-edit-open').count(), 0);
      assert.equal(await page.getByTestId('class-status-actions').count(), 0);
      assert.equal(await page.getByTestId('class-enrol').count(), 0);
      assert.equal(await page.getByTestId('class-import').count(), 0);
      assert.equal(await page.getByTestId('class-sessions').getByRole('button').count(), 0);
      // The class's attendance and its paper registers are a tap away.
      assert.equal(await page.getByTestId('class-attendance').getAttribute('href'), `/lop-hoc/${new URL(page.url()).pathname.split('/')[2]}/diem-danh`);
      assert.equal(await page.getByTestId('class-registers').count(), 1);
      // A session opens its own page (its time, place, teacher and files).
      await page.getByTestId('class-session').first().getByRole('link').click();
      await page.waitForURL((u) => /^\/buoi-hoc\/\d+$/.test(u.pathname));
      await page.getByText('Kỹ năng số cơ bản — lớp buổi tối tổ 5').first().waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
