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

describe('password', () => {
  it('a new account changes its password, must sign in again, and the new password works', async () => {
    const { BASE_URL, apiToken, uniquePhone } = await import('./helpers.mjs');
    const token = await apiToken(DEMO.admin);
    const centres = await (await fetch(BASE_URL + '/api/v1/centres', { headers: { Authorization: 'Bearer ' + token } })).json();
    const centre = centres.items.find((c) => c.name === 'TTHTCĐ phường Tân Phong');
    const phone = uniquePhone();
    const first = 'BanDau@' + phone.slice(-4);
    const res = await fetch(BASE_URL + '/api/v1/people', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ full_name: 'Sùng Thị Mới', commune_id: centre.unit_id, phone, password: first }),
    });
    assert.equal(res.status, 201, await res.clone().text());

    const { context, page } = await newPage(b.browser);
    try {
      // No role yet: the account page is the home.
      await signIn(page, { login: phone, password: first, home: '/tai-khoan' });
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Tài khoản của tôi');
      // The administrator chose this password: it must be changed before anything else.
      await page.getByText('Mật khẩu này do người khác đặt cho bạn.').waitFor();

      await page.locator('#current_password').fill(first);
      await page.locator('#new_password').fill('ngan');
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.locator('[data-field="new_password"] .error').waitFor();

      const next = 'MatKhauMoi@' + phone.slice(-4);
      await page.locator('#new_password').fill(next);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.waitForURL((u) => u.pathname === '/dang-nhap');
      await page.getByText('Đã đổi mật khẩu. Hãy đăng nhập lại bằng mật khẩu mới.').waitFor();

      await signIn(page, { login: phone, password: next, home: '/tai-khoan' });
    } finally {
      await context.close();
    }
  });
});
