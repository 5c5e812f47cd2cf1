// The administrator's screens for what the API already does: the audit log
// with its filters, the administrative units (with their history, and a new
// one), the centres and the association branches (list and add). Each is
// reached from the admin home, usable at 320 and 360 px, and refused to others.
//
// These tests add a province of their own, with a ward, centres and a branch
// in it; the file's name makes it run after the specs that count the demo's
// centres and communes (homes.test.mjs), which share the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** Asserts the page does not scroll sideways and every control is finger-sized. */
async function fitsPhone(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at ${page.viewportSize().width} px (overflow ${overflow}px)`);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('main a[href], main button, main select')]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && (r.width < 44 || r.height < 44)).length,
  );
  assert.equal(small, 0, 'every control is at least 44 × 44 px');
}

for (const width of [320, 360]) {
  /** A short suffix so that repeated runs against one database (and the two widths) do not collide. */
  const tag = String(Date.now()).slice(-5) + (width === 320 ? '2' : '6');

  describe(`admin screens at ${width} px`, () => {
    it('units: opened from the home, listed in Vietnamese order with history, and a new ward added', async () => {
      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.admin);
        await page.getByRole('link', { name: 'Quản lý đơn vị hành chính', exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/quan-tri/don-vi');
        assert.equal((await page.locator('main h1').textContent()).trim(), 'Đơn vị hành chính');
        const list = page.getByTestId('units-list');
        await list.getByText('Lai Châu', { exact: true }).first().waitFor();
        const names = await list.locator('.list-main').allTextContents();
        assert.ok(names.length > 10, `many units listed (${names.length})`);
        await fitsPhone(page);
        await shot(page, `admin-units-${width}`);

        await page.locator('#unit-kind').selectOption('province');
        await page.locator('#unit-name').fill('Tỉnh Thử ' + tag);
        await page.locator('#unit-code').fill('T' + tag);
        await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
        await page.getByText(`Đã thêm đơn vị "Tỉnh Thử ${tag}".`).waitFor();

        await page.locator('#unit-kind').selectOption('ward');
        await page.locator('#unit-parent').selectOption({ label: 'Tỉnh Thử ' + tag });
        await page.locator('#unit-name').fill('Thử Nghiệm ' + tag);
        await page.locator('#unit-code').fill('9' + tag);
        await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
        await page.getByText(`Đã thêm đơn vị "Thử Nghiệm ${tag}".`).waitFor();
        await list.getByText('Thử Nghiệm ' + tag).waitFor();

        // The same code again is refused, beside the field or at the top.
        await page.locator('#unit-name').fill('Thử Nghiệm khác ' + tag);
        await page.locator('#unit-code').fill('9' + tag);
        await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
        await page.locator('main .alert, main .field.invalid').first().waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('centres and branches: listed, and one of each added in a commune', async () => {
      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.admin);
        await page.getByRole('link', { name: 'Quản lý trung tâm', exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/quan-tri/trung-tam');
        const list = page.getByTestId('places-list');
        await list.getByText('TTHTCĐ phường Tân Phong').waitFor();
        await fitsPhone(page);
        await shot(page, `admin-centres-${width}`);

        // Without a commune the server says what is missing.
        await page.locator('#place-name').fill('TTHTCĐ thử ' + tag);
        await page.getByRole('button', { name: 'Thêm trung tâm' }).click();
        await page.locator('main .alert, main .field.invalid').first().waitFor();

        await page.locator('#place-unit').selectOption({ label: 'Phường Thử Nghiệm ' + tag });
        await page.locator('#place-address').fill('Số 1, đường Thử');
        await page.getByRole('button', { name: 'Thêm trung tâm' }).click();
        await page.getByText(`Đã thêm trung tâm "TTHTCĐ thử ${tag}".`).waitFor();
        await list.getByText('TTHTCĐ thử ' + tag).waitFor();

        await page.goto('/quan-tri');
        await page.getByRole('link', { name: 'Quản lý chi hội', exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/quan-tri/chi-hoi');
        assert.equal((await page.locator('main h1').textContent()).trim(), 'Chi hội khuyến học');
        await page.locator('#place-unit').selectOption({ label: 'Phường Thử Nghiệm ' + tag });
        await page.locator('#place-name').fill('Chi hội thử ' + tag);
        await page.getByRole('button', { name: 'Thêm chi hội' }).click();
        await page.getByText(`Đã thêm chi hội "Chi hội thử ${tag}".`).waitFor();
        await page.getByTestId('places-list').getByText('Chi hội thử ' + tag).waitFor();
        await fitsPhone(page);
        await shot(page, `admin-branches-${width}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('audit log: filtered by kind and by one record', async () => {
      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        // The demo seed writes no audit lines: add a centre through the API first.
        const token = await apiToken(DEMO.admin);
        const wards = (await apiGet(token, '/units?kind=ward')).items.filter((u) => u.name === 'Thử Nghiệm ' + tag);
        assert.equal(wards.length, 1, 'the ward the first test added');
        const res = await fetch(BASE_URL + '/api/v1/centres', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
          body: JSON.stringify({ unit_id: wards[0].id, name: 'TTHTCĐ nhật ký ' + tag, address: '' }),
        });
        assert.equal(res.status, 201, await res.text());

        await signIn(page, DEMO.admin);
        await page.getByRole('link', { name: 'Xem nhật ký thay đổi', exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/quan-tri/nhat-ky');
        assert.equal((await page.locator('main h1').textContent()).trim(), 'Nhật ký thay đổi');
        const list = page.getByTestId('audit-list');

        await page.locator('#audit-entity').selectOption('centre');
        await page.waitForURL((u) => u.searchParams.get('loai') === 'centre');
        await list.getByText('Thêm trung tâm').first().waitFor();
        await list.getByText('TTHTCĐ nhật ký ' + tag).first().waitFor();
        const first = (await list.locator('.list-main').first().textContent()).trim();
        const id = first.match(/#(\d+)/)[1];
        await page.locator('#audit-id').fill(id);
        await page.getByRole('button', { name: 'Xem', exact: true }).click();
        await page.waitForURL((u) => u.searchParams.get('ma') === id);
        await page.waitForFunction(
          (want) => [...document.querySelectorAll('[data-testid="audit-list"] .list-main')].every((el) => el.textContent.endsWith('#' + want)),
          id,
        );
        await page.locator('#audit-id').fill('abc');
        await page.getByRole('button', { name: 'Xem', exact: true }).click();
        await page.getByText('Mã số là một số nguyên dương.').waitFor();
        await fitsPhone(page);
        await shot(page, `admin-audit-${width}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it('speaks English when asked', async () => {
      const { context, page } = await newPage(b.browser, { width });
      try {
        await context.addInitScript(() => localStorage.setItem('densach.lang', 'en'));
        await signIn(page, DEMO.admin);
        for (const [path, heading] of [['/quan-tri/nhat-ky', 'Audit log'], ['/quan-tri/don-vi', 'Administrative units'], ['/quan-tri/trung-tam', 'Community learning centres'], ['/quan-tri/chi-hoi', 'Association branches']]) {
          await page.goto(path);
          await page.locator('main h1').waitFor();
          assert.equal((await page.locator('main h1').textContent()).trim(), heading);
        }
      } finally {
        await context.close();
      }
    });

    it('a centre manager opening them by URL is refused', async () => {
      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.manager);
        for (const path of ['/quan-tri/nhat-ky', '/quan-tri/don-vi', '/quan-tri/trung-tam', '/quan-tri/chi-hoi']) {
          await page.goto(path);
          await page.getByTestId('forbidden').waitFor();
        }
      } finally {
        await context.close();
      }
    });
  });
}
