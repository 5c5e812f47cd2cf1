// Issue 8 on a 320 and a 360 px phone: adding a person who looks like an existing one
// (same name, birth year and commune) warns before saving, links to the
// existing person and lets the user add anyway; a person is deactivated and
// reactivated from their page, the list's filter shows the deactivated, and
// the first record is merged into the second from the person page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

function uniqueName(base) {
  const tag = Date.now().toString(36).slice(-5).replace(/\d/g, (d) => 'abcdefghij'[d]);
  return `${base} Trùng${tag[0].toUpperCase()}${tag.slice(1)}`;
}

async function apiPost(token, path, body) {
  const res = await fetch(BASE_URL + '/api/v1' + path, {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

for (const width of [320, 360]) {
  describe(`duplicates and deactivation at ${width} px`, () => {
    it('warns about a look-alike before saving, then deactivates and reactivates the new person', async () => {
      const token = await apiToken(DEMO.manager);
      const commune = (await apiGet(token, '/me')).person.commune_id;
      const name = uniqueName('Hoàng Văn');
      const existing = await apiPost(token, '/people', { full_name: name, birth_year: 1985, commune_id: commune });
      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.manager);
        await page.goto('/nguoi/moi');
        await page.locator('#full_name').fill(name.toUpperCase());
        await page.locator('#birth').fill('1985');
        await page.locator('#commune_id').selectOption(String(commune));
        await page.getByRole('button', { name: 'Thêm người' }).last().click();

        // The warning names the existing person, in view, and nothing is saved yet.
        const warning = page.locator('section.similar');
        await warning.waitFor();
        await warning.getByRole('heading', { name: 'Có thể người này đã có trên hệ thống' }).waitFor();
        const open = warning.getByRole('link', { name: `Mở ${name}` });
        assert.equal(await open.getAttribute('href'), `/nguoi/${existing.id}`);
        assert.ok(await warning.isVisible());
        const box = await warning.boundingBox();
        assert.ok(box && box.y >= 56 && box.y < 800 && box.x + box.width <= width, `warning in view below the header at ${width} px: ${JSON.stringify(box)}`);
        assert.equal(new URL(page.url()).pathname, '/nguoi/moi');
        await shot(page, `person-duplicate-warning-${width}`);

        // Adding anyway creates a second person.
        await warning.getByRole('button', { name: 'Đây là người khác, vẫn thêm' }).click();
        await page.waitForURL((u) => /^\/nguoi\/\d+$/.test(u.pathname));
        const created = Number(new URL(page.url()).pathname.split('/').pop());
        assert.notEqual(created, existing.id);

        // Deactivate the new person from their page.
        const main = page.locator('main');
        await main.getByTestId('person-active').waitFor();
        await main.getByRole('button', { name: 'Ngừng hoạt động' }).click();
        await main.getByRole('button', { name: 'Ngừng hoạt động' }).click(); // confirm
        await main.getByTestId('person-inactive').waitFor();
        await main.getByTestId('inactive-badge').waitFor();
        await shot(page, `person-deactivated-${width}`);

        // The default list hides them; the filter shows them.
        const listed = await apiGet(token, '/people?q=' + encodeURIComponent(name));
        assert.deepEqual(listed.items.map((p) => p.id), [existing.id]);
        const inactive = await apiGet(token, '/people?inactive=true&q=' + encodeURIComponent(name));
        assert.deepEqual(inactive.items.map((p) => p.id), [created]);
        await page.goto('/nguoi?ngung=1&q=' + encodeURIComponent(name));
        await page.locator('.list.people').getByText(name).waitFor();

        // Reactivate.
        await page.goto('/nguoi/' + created);
        await main.getByRole('button', { name: 'Cho hoạt động lại' }).click();
        await main.getByTestId('person-active').waitFor();

        // Merge the first record into the new one, picked on the person page.
        await main.getByRole('button', { name: 'Chọn hồ sơ trùng' }).click();
        const candidate = main.locator('.merge-candidates label').filter({ hasText: name });
        await candidate.first().waitFor();
        assert.equal(await candidate.count(), 1, 'only the other record is offered');
        await candidate.locator('input').check();
        await main.getByTestId('merge-confirm').waitFor();
        await shot(page, `person-merge-pick-${width}`);
        await main.getByRole('button', { name: 'Gộp vào người này' }).click();
        await main.getByText(`Đã gộp ${name} vào người này.`).waitFor();
        const gone = await apiGet(token, '/people/' + existing.id);
        assert.equal(gone.active, false);
        assert.equal(gone.merged_into_id, created);
        const audit = await apiGet(await apiToken(DEMO.admin), `/audit?entity=person&entity_id=${created}`);
        assert.ok(audit.items.some((a) => a.action === 'people_merged'), 'the merge is in the audit log');
        await page.goto('/nguoi/' + existing.id);
        await main.getByTestId('person-inactive').waitFor();
        assert.equal(await main.getByRole('link', { name: /gộp vào người khác/ }).getAttribute('href'), '/nguoi/' + created);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
