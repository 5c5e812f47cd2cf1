// The import of the official list of units from the admin screen, at 320 and
// 360 px: a file is checked first (counts and the rows left alone, nothing
// written), then imported; the same file again has nothing to import; a
// file without the "Cấp" column and a file of another type are refused in
// plain Vietnamese.
//
// It adds a province of its own, so it runs after the specs that count the
// demo's units (the name puts it after zz-admin).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, RESULTS, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

for (const width of [320, 360]) {
  describe(`units import at ${width} px`, () => {
    it('checks the list, imports it, and has nothing left to import the second time', async () => {
      // A two-digit province code of its own per run and width (9x is unused in Việt Nam).
      const prov = String(90 + ((Date.now() / 1000) % 5 | 0) * 2 + (width === 320 ? 0 : 1));
      const tag = String(Date.now()).slice(-5);
      const list = [
        'Mã;Tên;Cấp;Mã TP;Tỉnh / Thành Phố',
        `${prov};Tỉnh Nhập ${tag};Tỉnh;;`,
        `${prov}001;Phường Nhập Một ${tag};Phường;${prov};Tỉnh Nhập ${tag}`,
        `${prov}002;Xã Nhập Hai ${tag};Xã;${prov};Tỉnh Nhập ${tag}`,
        // Tân Phong's code with another name: reported and left alone.
        '03408;Phường Khác Tên;Phường;12;Tỉnh Lai Châu',
      ];
      const file = join(RESULTS, `units-list-${width}.csv`);
      writeFileSync(file, '\ufeff' + list.join('\r\n') + '\r\n');

      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.admin);
        await page.goto('/quan-tri/don-vi');
        await page.locator('#units-import-file').setInputFiles(file);
        const preview = page.getByTestId('units-import-preview');
        await preview.waitFor();
        const figure = async (scope, label) => (await scope.locator('.stat', { hasText: label }).locator('.stat-value').textContent()).trim();
        assert.equal(await figure(preview, 'Đơn vị sẽ thêm'), '3');
        assert.match(await preview.getByTestId('units-import-conflicts').textContent(), /03408/);
        const head = await preview.locator('h3').first().boundingBox();
        assert.ok(head && head.y >= 0 && head.y < page.viewportSize().height, `the check result comes into view: ${JSON.stringify(head)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling at ${width} px (overflow ${overflow}px)`);
        const token = await apiToken(DEMO.admin);
        const stored = async () => (await apiGet(token, '/units')).items.filter((u) => u.name.endsWith(tag)).length;
        assert.equal(await stored(), 0, 'the check writes nothing');
        await shot(page, `units-import-preview-${width}`);

        await preview.getByRole('button', { name: /Nhập danh mục \(3 đơn vị mới\)/ }).click();
        const done = page.getByTestId('units-import-done');
        await done.waitFor();
        assert.equal(await figure(done, 'Đơn vị đã thêm'), '3');
        assert.equal(await stored(), 3);
        await page.getByTestId('units-list').getByText('Nhập Một ' + tag).waitFor();

        // The same file again: nothing to import.
        await done.getByRole('button', { name: 'Chọn tệp khác' }).click();
        await page.locator('#units-import-file').setInputFiles(file);
        await page.getByTestId('units-import-preview').getByText('không có gì để nhập').waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('refuses a list without the level column and a file of another type, in plain words', async () => {
      const noLevel = join(RESULTS, 'units-no-level.csv');
      writeFileSync(noLevel, 'Mã;Tên\r\n03408;Phường Tân Phong\r\n');
      const other = join(RESULTS, 'units-list.txt');
      writeFileSync(other, 'not a list');
      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.admin);
        await page.goto('/quan-tri/don-vi');
        await page.locator('#units-import-file').setInputFiles(noLevel);
        const box = page.getByTestId('units-import-errors');
        await box.getByText('Thiếu cột "Cấp" của danh mục.').waitFor();
        await page.locator('#units-import-file').setInputFiles(other);
        await box.getByText('Tệp này không phải CSV hay XLSX.', { exact: false }).waitFor();
        await shot(page, `units-import-refused-${width}`);
      } finally {
        await context.close();
      }
    });
  });
}
