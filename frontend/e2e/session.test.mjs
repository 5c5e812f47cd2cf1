// Session: a reload keeps one signed in (refresh cookie), signing out
// everywhere ends the other devices' sessions too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('session', () => {
  it('keeps the access token out of storage and the refresh cookie out of JavaScript', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.teacher);
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
      assert.doesNotMatch(stored, /eyJ|access_token|refresh/i);
      const cookies = await context.cookies();
      const refresh = cookies.find((c) => c.name === 'densach_refresh');
      assert.ok(refresh, 'refresh cookie set');
      assert.equal(refresh.httpOnly, true);
      assert.equal(refresh.sameSite, 'Strict');
      assert.equal(refresh.path, '/api/v1/auth');
      // A reload restores the session silently.
      await page.reload();
      await page.waitForURL((u) => u.pathname === '/giao-vien');
      await page.locator('main h1').waitFor();
    } finally {
      await context.close();
    }
  });

  it('signing out everywhere ends the session on the other device', async () => {
    const one = await newPage(b.browser);
    const two = await newPage(b.browser);
    try {
      await signIn(one.page, DEMO.officerCommune);
      await signIn(two.page, DEMO.officerCommune);
      await one.page.goto('/tai-khoan');
      await one.page.getByRole('button', { name: 'Đăng xuất trên mọi thiết bị' }).click();
      await one.page.waitForURL((u) => u.pathname === '/dang-nhap');
      await one.page.getByText('Bạn đã đăng xuất trên mọi thiết bị.').waitFor();
      // The other device's refresh cookie no longer works.
      await two.page.reload();
      await two.page.waitForURL((u) => u.pathname === '/dang-nhap');
    } finally {
      await one.context.close();
      await two.context.close();
    }
  });
});
