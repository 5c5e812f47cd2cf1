// Issue 8 on a 360 px phone: adding a person who looks like an existing one
// (same name, birth year and commune) warns before saving, links to the
// existing person and lets the user add anyway; a person is deactivated and
// reactivated from their page, and the list's filter shows the deactivated.
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

describe('duplicates and deactivation', () => {
  it('warns about a look-alike before saving, then deactivates and reactivates the new person', async () => {
    const token = await apiToken(DEMO.manager);
    const commune = (await apiGet(token, '/me')).person.commune_id;
    const name = uniqueName('Hoàng Văn');
    const existing = await apiPost(token, '/people', { full_name: name, birth_year: 1985, commune_id: commune });
    const { context, page, errors } = await newPage(b.browser);
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
      assert.ok(box && box.y >= 56 && box.y < 800 && box.width <= 360, `warning in view below the header at 360 px: ${JSON.stringify(box)}`);
      assert.equal(new URL(page.url()).pathname, '/nguoi/moi');
      await shot(page, 'person-duplicate-warning-360');

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
      await shot(page, 'person-deactivated-360');

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
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
