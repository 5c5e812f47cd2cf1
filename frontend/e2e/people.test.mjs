// People administration against the real API: validation beside the fields,
// creation, search with and without diacritics, CSV import with a preview.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, DEMO, RESULTS, apiGet, apiToken, launch, newPage, shot, signIn, uniquePhone } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** A name unique to this run, with Vietnamese diacritics in the given name. */
function uniqueName(base) {
  const tag = Date.now().toString(36).slice(-5).replace(/\d/g, (d) => 'abcdefghij'[d]);
  return `${base} Thử${tag[0].toUpperCase()}${tag.slice(1)} Đức`;
}

describe('people administration', () => {
  it('a person created with a bad phone number shows the Vietnamese error beside the field', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.admin);
      await page.goto('/nguoi/moi');
      const name = uniqueName('Lò Văn');
      await page.locator('#full_name').fill(name);
      await page.locator('#birth').fill('15/03/1985');
      await page.locator('#commune_id').selectOption({ label: 'Phường Tân Phong' });
      await page.locator('#phone').fill('0123456789'); // 012… is not a Vietnamese mobile prefix
      await page.getByRole('button', { name: 'Thêm người' }).last().click();

      const error = page.locator('[data-field="phone"] .error');
      await error.waitFor();
      const text = (await error.textContent()).trim();
      assert.match(text, /[àáảãạăâđêôơưếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ]/i, `Vietnamese message, got "${text}"`);
      assert.equal(await page.locator('#phone').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#phone').getAttribute('aria-describedby'), /phone-error/);
      assert.equal(new URL(page.url()).pathname, '/nguoi/moi');
      await shot(page, 'person-bad-phone-360');

      // Correct it and save: the person page opens.
      await page.locator('#phone').fill(uniquePhone());
      await page.getByRole('button', { name: 'Thêm người' }).last().click();
      await page.waitForURL((u) => /^\/nguoi\/\d+$/.test(u.pathname));
      assert.equal((await page.locator('main h1').textContent()).trim(), name);
      await page.locator('main').getByText('15/03/1985').waitFor();

      // Search without diacritics finds the new person.
      await page.goto('/nguoi');
      const folded = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
      await page.locator('#people-q').fill(folded.split(' ').slice(-2).join(' '));
      await page.locator('.list.people').getByText(name).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a CSV import with bad rows previews them and applies only the good ones', async () => {
    const token = await apiToken(DEMO.admin);
    const units = (await apiGet(token, '/units')).items;
    const ward = units.find((u) => u.name === 'Tân Phong');
    assert.ok(ward, 'the demo ward Tân Phong exists');
    const good1 = { name: uniqueName('Giàng A'), phone: uniquePhone() };
    const good2 = { name: uniqueName('Tòng Thị'), phone: uniquePhone() };
    const csv = [
      'ho_ten;ngay_sinh;gioi_tinh;dan_toc;ma_xa;thon;cccd;so_dien_thoai;email;chuc_vu_hoi',
      `${good1.name};02/09/1970;Nam;Mông;${ward.code};Bản Gia Khâu;;${good1.phone};;`,
      `Vàng Thị Sai Số;1980;Nữ;Dao;${ward.code};Tổ 3;;0123456789;;`,
      `;1990;Nam;Kinh;${ward.code};Tổ 1;;;;`,
      `${good2.name};1985;Nữ;Thái;${ward.code};Tổ 2;;${good2.phone};;`,
    ].join('\r\n');
    const file = join(RESULTS, 'import-sample.csv');
    writeFileSync(file, '\ufeff' + csv + '\r\n');

    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.admin);
      await page.goto('/nguoi/nhap');
      await page.locator('#import-file').setInputFiles(file);
      const preview = page.getByTestId('import-preview');
      await preview.waitFor();
      const figure = async (label) => (await preview.locator('.stat', { hasText: label }).locator('.stat-value').textContent()).trim();
      assert.equal(await figure('Số dòng'), '4');
      assert.equal(await figure('Sẽ thêm mới'), '2');
      assert.equal(await figure('Dòng có lỗi'), '2');
      const rows = preview.getByTestId('import-errors').locator('tbody tr');
      assert.ok((await rows.count()) >= 2, 'each bad row is listed');
      await shot(page, 'import-preview-360');

      // Nothing was written by the preview.
      const before = await apiGet(token, '/people?q=' + good1.phone);
      assert.equal(before.total, 0);

      await page.getByRole('button', { name: /Nhập 2 dòng hợp lệ/ }).click();
      const done = page.getByTestId('import-done');
      await done.waitFor();
      assert.match(await done.textContent(), /Thêm mới 2/);
      await shot(page, 'import-done-360');

      for (const g of [good1, good2]) assert.equal((await apiGet(token, '/people?q=' + g.phone)).total, 1, g.name + ' imported');
      assert.equal((await apiGet(token, '/people?q=0123456789')).total, 0, 'the bad row was not imported');

      // The same file again changes nothing.
      await page.getByRole('button', { name: 'Chọn tệp khác' }).click();
      await page.locator('#import-file').setInputFiles(file);
      await preview.waitFor();
      assert.equal(await figure('Sẽ thêm mới'), '0');
    } finally {
      await context.close();
    }
  });
});

describe('roles', () => {
  it('a centre manager gives and takes back the teacher role at their own centre', async () => {
    const token = await apiToken(DEMO.manager);
    const me = await apiGet(token, '/me');
    const commune = me.person.commune_id;
    const res = await fetch(BASE_URL + '/api/v1/people', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ full_name: uniqueName('Lường Văn'), commune_id: commune, phone: uniquePhone() }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const person = await res.json();

    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.manager);
      await page.goto('/nguoi/' + person.id);
      await page.locator('#person-roles').waitFor();
      await page.locator('#grant-role').selectOption('teacher');
      // Only the manager's own centre is offered.
      const offered = (await page.locator('#grant-scope option').allTextContents()).slice(1);
      assert.deepEqual(offered.map((o) => o.replace(/ \(.*\)$/, '')), ['TTHTCĐ phường Tân Phong']);
      await page.locator('#grant-scope').selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Giao vai trò' }).click();
      await page.getByText('Đã giao vai trò Giáo viên.').waitFor();
      const roles = page.locator('section[aria-labelledby="person-roles"] .list');
      await roles.getByText('Giáo viên').waitFor();
      await shot(page, 'person-roles-360');
      assert.equal((await apiGet(token, '/people/' + person.id)).roles.filter((g) => g.role === 'teacher').length, 1);

      await page.getByRole('button', { name: /Thu hồi vai trò Giáo viên/ }).click();
      await page.getByRole('button', { name: 'Đồng ý thu hồi' }).click();
      await page.getByText('Đã thu hồi vai trò Giáo viên.').waitFor();
      assert.equal((await apiGet(token, '/people/' + person.id)).roles.filter((g) => g.role === 'teacher').length, 0);
    } finally {
      await context.close();
    }
  });
});

describe('people list', () => {
  it('filters by role and pages through the Vietnamese-ordered list', async () => {
    const token = await apiToken(DEMO.admin);
    const teachers = await apiGet(token, '/people?role=teacher&page_size=100');
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.admin);
      await page.goto('/nguoi');
      await page.locator('.list.people').waitFor();
      await page.getByRole('button', { name: 'Bộ lọc' }).click();
      await page.locator('#f-role').selectOption('teacher');
      await page.waitForURL((u) => u.searchParams.get('vai_tro') === 'teacher');
      await page.getByTestId('people-count').filter({ hasText: `Có ${teachers.total} người` }).waitFor();
      const items = page.locator('.list.people > li');
      assert.equal(await items.count(), Math.min(teachers.total, 20));
      for (const li of await items.all()) assert.match(await li.textContent(), /Giáo viên/);
      // The order on screen is the server's Vietnamese order.
      const names = (await page.locator('.list.people .list-main').allTextContents()).map((s) => s.trim());
      assert.deepEqual(names, teachers.items.slice(0, 20).map((p) => p.full_name));
      // The filter survives a reload (it is in the address).
      await page.reload();
      await page.getByTestId('people-count').filter({ hasText: `Có ${teachers.total} người` }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('moves to the next page by cursor and back, keeping the total', async () => {
    const token = await apiToken(DEMO.admin);
    const first = await apiGet(token, '/people?page_size=20');
    assert.ok(first.next_cursor, 'the demo data fills more than one page');
    const second = await apiGet(token, '/people?page_size=20&cursor=' + first.next_cursor);
    const { context, page } = await newPage(b.browser);
    const shown = async () => (await page.locator('.list.people .list-main').allTextContents()).map((s) => s.trim());
    try {
      await signIn(page, DEMO.admin);
      await page.goto('/nguoi');
      await page.getByTestId('people-count').filter({ hasText: `Có ${first.total} người` }).waitFor();
      await page.getByRole('button', { name: 'Trang sau' }).click();
      await page.waitForURL((u) => u.searchParams.get('trang') === '2' && u.searchParams.get('sau') === first.next_cursor);
      await page.locator('.list.people .list-main').first().filter({ hasText: second.items[0].full_name }).waitFor();
      assert.deepEqual(await shown(), second.items.map((p) => p.full_name));
      // The total of page 1 stays, and a reload opens the same page.
      await page.getByTestId('people-count').filter({ hasText: `Có ${first.total} người` }).waitFor();
      await page.reload();
      await page.locator('.list.people .list-main').first().filter({ hasText: second.items[0].full_name }).waitFor();
      await page.getByTestId('people-count').filter({ hasText: `Có ${first.total} người` }).waitFor();
      await page.getByRole('button', { name: 'Trang trước' }).click();
      await page.waitForURL((u) => !u.searchParams.get('trang'));
      await page.locator('.list.people .list-main').first().filter({ hasText: first.items[0].full_name }).waitFor();
      assert.deepEqual(await shown(), first.items.map((p) => p.full_name));
    } finally {
      await context.close();
    }
  });
});
