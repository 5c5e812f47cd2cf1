// Vietnamese by default; English on request; remembered; and back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, RESULTS, launch, newPage, shot, signIn, uniquePhone } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('language', () => {
  it('switches to English and back, and remembers the choice', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/dang-nhap');
      const h1 = page.locator('main h1');
      assert.equal((await h1.textContent()).trim(), 'Đăng nhập');
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');

      // English is its own chunk, fetched on the first switch: every text the
      // page shows meanwhile is recorded, and none may be a catalogue key.
      await page.evaluate(() => {
        const seen = (window.__texts = []);
        new MutationObserver(() => seen.push(document.querySelector('main')?.innerText ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const clicked = Date.now();
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Sign in', null, { timeout: 2000 });
      console.log(`English drawn ${Date.now() - clicked} ms after the click (its catalogue downloaded on the way)`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      const keys = (await page.evaluate(() => window.__texts)).flatMap((s) => s.match(/\b[a-z]+\.[a-z][A-Za-z]+(\.[A-Za-z]+)*\b/g) ?? []);
      assert.deepEqual(keys, [], 'no catalogue keys on the screen while English loads');
      await page.reload();
      await h1.waitFor();
      assert.equal((await h1.textContent()).trim(), 'Sign in', 'remembered after a reload');

      // Signed in, the homes and navigation are in English too.
      await signIn(page, DEMO.learner);
      assert.equal((await h1.textContent()).trim(), 'My learning');
      await page.locator('nav.mainnav').getByText('Account').click();
      await page.waitForURL((u) => u.pathname === '/tai-khoan');
      await shot(page, 'account-english-360');

      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
      assert.equal((await h1.textContent()).trim(), 'Tài khoản của tôi');
      await page.reload();
      await page.locator('main h1').waitFor();
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Tài khoản của tôi');
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    } finally {
      await context.close();
    }
  });

  it("shows the server's field errors in English, by their codes", async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/dang-nhap');
      await page.getByRole('button', { name: 'English' }).click();
      await signIn(page, DEMO.admin);
      await page.goto('/nguoi/moi');
      await page.locator('#full_name').fill('Lò Văn Thử');
      await page.locator('#commune_id').selectOption({ label: 'Tân Phong Ward' });
      await page.locator('#phone').fill('0123456789'); // 012… is not a Vietnamese mobile prefix
      await page.getByRole('button', { name: 'Add this person' }).click();
      const error = page.locator('[data-field="phone"] .error');
      await error.waitFor();
      assert.equal((await error.textContent()).trim(), 'The phone number must be a Vietnamese mobile number starting with 03, 05, 07, 08 or 09.');
    } finally {
      await context.close();
    }
  });

  it("shows an import's row errors in English, by their codes and params", async () => {
    const phone = uniquePhone();
    const csv = [
      'ho_ten;nam_sinh;gioi_tinh;ma_xa;so_dien_thoai',
      `Lò Văn Một;1970;Nam;99999;`,
      `Lò Văn Hai;1971;Nam;00001;${phone}`,
      `Lò Văn Ba;1972;Nam;00001;${phone}`,
    ].join('\r\n');
    const file = join(RESULTS, 'import-english.csv');
    writeFileSync(file, '\ufeff' + csv + '\r\n');
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/dang-nhap');
      await page.getByRole('button', { name: 'English' }).click();
      await signIn(page, DEMO.admin);
      await page.goto('/nguoi/nhap');
      await page.locator('#import-file').setInputFiles(file); // a preview only: nothing is written
      const rows = page.getByTestId('import-errors').locator('tbody tr');
      await rows.first().waitFor();
      const texts = (await rows.allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
      assert.ok(texts.some((s) => s.includes('There is no current commune or special zone like that.')), texts.join(' | '));
      assert.ok(texts.some((s) => s.startsWith('4') && s.includes('This row repeats row 3 of the file.')), texts.join(' | '));
      await shot(page, 'import-errors-english-360');
    } finally {
      await context.close();
    }
  });

  it('large type is one tick away and remembered', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await page.goto('/dang-nhap');
      await page.locator('main h1').waitFor();
      const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize));
      const before = await size();
      await page.getByLabel('Chữ to').check();
      assert.ok((await size()) >= before * 1.2, 'headings grow by a quarter');
      await page.reload();
      await page.locator('main h1').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large')), true);
      assert.equal(await page.getByLabel('Chữ to').isChecked(), true);
    } finally {
      await context.close();
    }
  });
});

