// The people import as a centre manager meets it on a 320 and a 360 px phone: a file
// without a commune column goes to the commune chosen on the page (their
// own by default) and its people become learners of their centre; error
// rows name the person and the bad value, stay after applying and download
// as a CSV to fix; a file with a commune column still imports by it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, RESULTS, apiGet, apiToken, launch, newPage, shot, signIn, uniquePhone } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** A name unique to this run, letters only. */
function uniqueName(base) {
  const tag = (Date.now().toString(36) + Math.random().toString(36).slice(2, 5)).slice(-6).replace(/\d/g, (d) => 'abcdefghij'[d]);
  return `${base} ${tag[0].toUpperCase()}${tag.slice(1)}`;
}

for (const width of [320, 360]) {
  /** The element's top is on screen, and the page does not scroll sideways. */
  async function inView(page, locator, width) {
    const box = await locator.boundingBox();
    const height = page.viewportSize().height;
    assert.ok(box && box.y >= 0 && box.y < height, `in view at ${width} px: ${JSON.stringify(box)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (overflow ${overflow}px)`);
  }

  describe(`people import at ${width} px`, () => {
    it('a file without a commune column goes to the chosen commune, enrols, and lists its error rows to download', async () => {
      const token = await apiToken(DEMO.manager);
      const me = await apiGet(token, '/me');
      const good = { name: uniqueName('Lò Thị Xuân'), phone: uniquePhone() };
      const bad = uniqueName('Lò Văn Sai');
      const csv = [
        'Họ và tên;Ngày sinh;Bản/Tổ dân phố;Ghi chú;Số điện thoại',
        `${good.name};05/09/1980;Bản Nậm Tăm;mới;${good.phone}`,
        `${bad};31/02/1990;Tổ 2;;`,
      ].join('\r\n');
      const file = join(RESULTS, 'import-no-commune.csv');
      writeFileSync(file, '\ufeff' + csv + '\r\n');

      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/nguoi/nhap');
        await page.getByTestId('import-limit').getByText('10 MB').waitFor();
        // Defaults: the manager's own commune and their centre.
        await page.waitForFunction((id) => document.querySelector('#import-commune')?.value === String(id), me.person.commune_id);
        await page.waitForFunction(() => document.querySelector('#import-centre')?.value !== '');
        await page.locator('#import-file').setInputFiles(file);
        const preview = page.getByTestId('import-preview');
        await preview.waitFor();
        const figure = async (label) => (await preview.locator('.stat', { hasText: label }).locator('.stat-value').textContent()).trim();
        assert.equal(await figure('Sẽ thêm mới'), '1');
        assert.equal(await figure('Dòng có lỗi'), '1');
        assert.equal(await figure('Sẽ ghi danh'), '1');
        await preview.getByText('Ghi chú').first().waitFor();
        const row = preview.getByTestId('import-errors').locator('tbody tr').first();
        assert.match(await row.textContent(), new RegExp(bad));
        assert.match(await row.textContent(), /31\/02\/1990/);
        assert.match(await row.textContent(), /không có trên lịch/);
        await inView(page, preview.locator('h2'), width);
        await shot(page, `import-no-commune-preview-${width}`);

        const [download] = await Promise.all([page.waitForEvent('download'), preview.getByTestId('import-download-errors').click()]);
        const saved = join(RESULTS, 'import-errors-download.csv');
        await download.saveAs(saved);
        const text = readFileSync(saved, 'utf8');
        assert.ok(text.startsWith('\ufeffHọ và tên;Ngày sinh;Bản/Tổ dân phố;Ghi chú;Số điện thoại;Lỗi\r\n'), text);
        assert.match(text, new RegExp(`${bad};31/02/1990;Tổ 2;;;Ngày sinh 31/02/1990`));
        assert.doesNotMatch(text, new RegExp(good.name));

        await page.getByRole('button', { name: /Nhập 1 dòng hợp lệ/ }).click();
        const done = page.getByTestId('import-done');
        await done.waitFor();
        assert.match(await done.textContent(), /Thêm mới 1/);
        await done.getByTestId('import-enrolled').waitFor();
        // The error rows stay after applying.
        assert.match(await done.getByTestId('import-errors').textContent(), new RegExp(bad));
        await shot(page, `import-no-commune-done-${width}`);

        const found = await apiGet(token, '/people?q=' + good.phone);
        assert.equal(found.total, 1);
        const person = found.items[0];
        assert.equal(person.commune_id, me.person.commune_id);
        const full = await apiGet(token, '/people/' + person.id);
        assert.equal(full.village, 'Bản Nậm Tăm');
        assert.ok(full.roles.some((g) => g.role === 'learner' && g.centre_id), 'enrolled as a learner');
      } finally {
        await context.close();
      }
    });

    it('a file with a commune column imports by it', async () => {
      const token = await apiToken(DEMO.manager);
      const me = await apiGet(token, '/me');
      const units = (await apiGet(await apiToken(DEMO.admin), '/units')).items ?? [];
      const code = units.find((u) => u.id === me.person.commune_id)?.code;
      assert.ok(code, "the manager's commune has a code");
      const good = { name: uniqueName('Tòng Văn Thu'), phone: uniquePhone() };
      const file = join(RESULTS, 'import-with-commune.csv');
      writeFileSync(file, `\ufeffHọ và tên;Mã xã;Thôn;Số điện thoại\r\n${good.name};${code};Bản Hon;${good.phone}\r\n`);

      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/nguoi/nhap');
        await page.locator('#import-centre').waitFor();
        await page.locator('#import-commune').selectOption('');
        await page.locator('#import-centre').selectOption('');
        await page.locator('#import-file').setInputFiles(file);
        const preview = page.getByTestId('import-preview');
        await preview.waitFor();
        assert.equal((await preview.locator('.stat', { hasText: 'Sẽ thêm mới' }).locator('.stat-value').textContent()).trim(), '1');
        await page.getByRole('button', { name: /Nhập 1 dòng hợp lệ/ }).click();
        await page.getByTestId('import-done').waitFor();
        const found = await apiGet(token, '/people?q=' + good.phone);
        assert.equal(found.total, 1);
        assert.equal(found.items[0].commune_id, me.person.commune_id);

        // The same person again with another village and another name: the
        // preview shows the change and flags the phone of another name.
        const again = join(RESULTS, 'import-update.csv');
        writeFileSync(again, `\ufeffHọ và tên;Mã xã;Thôn;Số điện thoại\r\n${good.name}a;${code};Bản Mới;${good.phone}\r\n`);
        await page.getByRole('button', { name: 'Chọn tệp khác' }).click();
        await page.locator('#import-file').setInputFiles(again);
        const updates = page.getByTestId('import-updates');
        await updates.waitFor();
        const text = await updates.textContent();
        assert.match(text, /Bản Hon\s*→\s*Bản Mới/);
        assert.match(text, new RegExp(`${good.name}\\s*→\\s*${good.name}a`));
        await updates.getByTestId('import-other-name').waitFor();
        await inView(page, page.getByTestId('import-preview').locator('h2'), width);
        await shot(page, `import-update-preview-${width}`);
      } finally {
        await context.close();
      }
    });
  });
}

describe('people import of a big file', () => {
  it('shows a real upload bar that fills, then the server step, then the preview', async () => {
    // About 600 KB of rows, sent over an upload throttled to 200 KB/s: the
    // bar is on screen for a few seconds and its value grows.
    const rows = ['Họ và tên;Năm sinh;Bản/Tổ dân phố;Ghi chú'];
    const filler = 'x'.repeat(400);
    for (let i = 0; i < 1400; i++) rows.push(`${uniqueName('Lò Văn Lớn')};1980;Bản ${i};${filler}`);
    const file = join(RESULTS, 'import-big.csv');
    writeFileSync(file, '\ufeff' + rows.join('\r\n') + '\r\n');

    const { context, page } = await newPage(b.browser, { width: 320 });
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/nguoi/nhap');
      await page.locator('#import-centre').waitFor();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: 1_000_000, uploadThroughput: 200_000 });
      await page.locator('#import-file').setInputFiles(file);
      const bar = page.getByTestId('upload-bar');
      await bar.waitFor();
      const seen = [];
      for (let i = 0; i < 20 && (await bar.isVisible()); i++) {
        const v = await bar.evaluate((el) => (el.isConnected ? { value: el.value, max: el.max } : null)).catch(() => null);
        if (v) seen.push(v);
        await page.waitForTimeout(150);
      }
      console.log(`upload bar values seen: ${seen.map((v) => `${v.value}/${v.max}`).join(', ')}`);
      assert.ok(seen.length >= 2, `the bar was seen at least twice: ${JSON.stringify(seen)}`);
      assert.ok(seen[0].max > 500_000, `its maximum is the file's size: ${JSON.stringify(seen[0])}`);
      assert.ok(seen.some((v) => v.value > 0 && v.value < v.max), `it shows a share between 0 and all: ${JSON.stringify(seen)}`);
      assert.ok(seen.at(-1).value > seen[0].value, `it fills: ${JSON.stringify(seen)}`);
      const box = await bar.boundingBox().catch(() => null);
      if (box) assert.ok(box.width <= 320, `the bar fits a 320 px screen: ${JSON.stringify(box)}`);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
      await shot(page, 'import-big-preview-320');
    } finally {
      await context.close();
    }
  });
});
