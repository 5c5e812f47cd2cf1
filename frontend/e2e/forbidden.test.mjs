// Navigation shows only what the role may use; a forbidden page reached by URL is refused politely.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('refusals', () => {
  it('a teacher opening an administrator URL is refused', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.teacher);
      const nav = page.locator('nav.mainnav');
      assert.equal(await nav.locator('a[href="/quan-tri"]').count(), 0);
      assert.equal(await nav.locator('a[href="/nguoi"]').count(), 0);
      for (const path of ['/quan-tri', '/nguoi', '/nguoi/moi', '/nguoi/nhap']) {
        await page.goto(path);
        const refusal = page.getByTestId('forbidden');
        await refusal.waitFor();
        assert.equal((await page.locator('main h1').textContent()).trim(), 'Bạn không mở được trang này');
        assert.equal(await page.locator('form.person-form').count(), 0, `no form on ${path}`);
      }
      await shot(page, 'forbidden-teacher-360');
      await page.getByRole('link', { name: 'Về trang chủ' }).click();
      await page.waitForURL((u) => u.pathname === '/giao-vien');
    } finally {
      await context.close();
    }
  });

  it('a signed-out visitor is sent to sign in, then back to the page asked for', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/nguoi');
      await page.waitForURL((u) => u.pathname === '/dang-nhap');
      await page.locator('#login').fill(DEMO.manager.login);
      await page.locator('#password').fill(DEMO.manager.password);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL((u) => u.pathname === '/nguoi');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Danh sách người');
    } finally {
      await context.close();
    }
  });
});
