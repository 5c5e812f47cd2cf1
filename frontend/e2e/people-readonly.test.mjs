// Issue 7.1 in the browser: a centre manager reads the province officer who
// lives in their ward, but the page offers no edit, no password reset and
// no role change, and shows the officer's phone masked; a learner of the
// manager's centre stays editable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** The person id of a demo account. */
async function personOf(account) {
  return (await apiGet(await apiToken(account), '/me')).person.id;
}

describe('people the caller does not cover', () => {
  it('a manager sees the province officer read-only, with masked contact details', async () => {
    const officer = await personOf(DEMO.officerProvince);
    const learner = await personOf(DEMO.learner);
    const { context, page, errors } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.manager);
      await page.goto(`/nguoi/${officer}`);
      await page.getByTestId('read-only').waitFor();
      const main = page.locator('main');
      assert.equal(await main.getByRole('button', { name: 'Sửa', exact: true }).count(), 0, 'no edit button');
      assert.equal(await main.getByRole('heading', { name: 'Tài khoản đăng nhập' }).count(), 0, 'no password reset');
      assert.equal(await main.getByRole('button', { name: /Thu hồi/ }).count(), 0, 'no revoke button');
      assert.equal(await main.getByRole('button', { name: 'Giao vai trò' }).count(), 0, 'no grant form');
      assert.equal(await main.getByText(DEMO.officerProvince.login).count(), 0, 'the phone is masked');
      await shot(page, 'person-read-only-360');

      // A learner of the manager's own centre: the same page offers editing.
      await page.goto(`/nguoi/${learner}`);
      await main.getByRole('button', { name: 'Sửa', exact: true }).waitFor();
      assert.equal(await page.getByTestId('read-only').count(), 0);
      await main.getByRole('heading', { name: 'Tài khoản đăng nhập' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('the province officer sees the administrator read-only and the commune officer editable, in English too', async () => {
    const admin = await personOf(DEMO.admin);
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.officerProvince);
      await page.evaluate(() => localStorage.setItem('densach.lang', 'en'));
      await page.goto(`/nguoi/${admin}`);
      const note = page.getByTestId('read-only');
      await note.waitFor();
      const text = (await note.textContent()).trim();
      assert.equal(text, 'You can only view this person: their roles are beyond your authority, so you cannot change their details, password or roles.');
      assert.equal(await page.locator('main').getByRole('button', { name: 'Edit', exact: true }).count(), 0);

      // The officer of the province covers the commune officer.
      const communeOfficer = await personOf(DEMO.officerCommune);
      await page.goto(`/nguoi/${communeOfficer}`);
      await page.locator('main').getByRole('button', { name: 'Edit', exact: true }).waitFor();
      assert.equal(await page.getByTestId('read-only').count(), 0);
    } finally {
      await context.close();
    }
  });
});
