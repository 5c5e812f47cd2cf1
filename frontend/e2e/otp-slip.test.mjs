// The one-time password (issue 7.10): the demo manager creates one for a demo
// learner from the person page and reads it from the printable sign-in slip;
// the learner signs in with it, is sent to the password change first, changes
// it and reaches the learner home. Uses the demo learner Nguyễn Văn An of
// Tân Phong (no account in the demo; a rerun resets it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const LEARNER = 'Nguyễn Văn An';

describe('one-time password and sign-in slip', () => {
  it('a manager prints a slip; the learner signs in with it, must change it, then reaches the home', async () => {
    const { context, page, errors } = await newPage(b.browser);
    let login, password;
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/nguoi');
      await page.locator('#people-q').fill('nguyen van an');
      await page.locator('.list.people').getByText(LEARNER, { exact: true }).click();
      await page.waitForURL((u) => /^\/nguoi\/\d+$/.test(u.pathname));
      await page.locator('#person-access').waitFor();

      await page.getByRole('button', { name: 'Tạo mật khẩu dùng một lần' }).click();
      // A rerun finds the account from the last run: a reset asks first.
      const confirm = page.getByRole('button', { name: 'Đồng ý tạo mật khẩu mới' });
      const slip = page.getByTestId('sign-in-slip');
      await Promise.race([confirm.waitFor(), slip.waitFor()]);
      if (await confirm.isVisible()) await confirm.click();
      await slip.waitFor();

      password = (await slip.getByTestId('one-time-password').textContent()).trim();
      assert.match(password, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      login = (await slip.locator('.slip-login[data-kind="phone"]').textContent()).trim();
      assert.match(login, /^0\d{9}$/, 'the phone, unmasked');
      const text = await slip.textContent();
      for (const want of [LEARNER, 'TTHTCĐ phường Tân Phong', 'Phiếu đăng nhập', BASE_URL, 'phải đổi mật khẩu']) {
        assert.ok(text.includes(want), `the slip shows "${want}": ${text}`);
      }
      // The slip fits the phone's width, and its print view holds only the slip.
      const width = await slip.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && document.documentElement.scrollWidth <= 360);
      assert.ok(width, 'no horizontal scrolling at 360 px');
      await shot(page, 'sign-in-slip-360');
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => {
        const shown = (sel) => [...document.querySelectorAll(sel)].some((el) => el.getClientRects().length > 0);
        return { slip: shown('[data-testid="sign-in-slip"]'), nav: shown('nav'), header: shown('header'), h1: shown('main h1'), print: shown('.slip-actions button') };
      });
      assert.deepEqual(printed, { slip: true, nav: false, header: false, h1: false, print: false });
      await shot(page, 'sign-in-slip-print');
      await page.emulateMedia({ media: 'screen' });

      await page.goto('/tai-khoan');
      await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/dang-nhap');

      // The learner signs in with the slip and is sent to the password change.
      await signIn(page, { login, password }, '/tai-khoan');
      await page.getByText('Mật khẩu này do người khác đặt cho bạn.').waitFor();
      // Nothing else opens until the password is changed.
      await page.goto('/hoc-vien');
      await page.waitForURL((u) => u.pathname === '/tai-khoan');

      const own = 'Đèn sách nhà An ' + password.slice(0, 4);
      await page.locator('#current_password').fill(password);
      await page.locator('#new_password').fill(own);
      await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
      await page.waitForURL((u) => u.pathname === '/dang-nhap');
      await page.getByText('Đã đổi mật khẩu. Hãy đăng nhập lại bằng mật khẩu mới.').waitFor();

      // The one-time password is spent; the new one reaches the learner home.
      await page.locator('#login').fill(login);
      await page.locator('#password').fill(password);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.locator('[role="alert"]').waitFor();
      await signIn(page, { login, password: own }, '/hoc-vien');
      assert.equal(await page.getByText('Mật khẩu này do người khác đặt cho bạn.').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
