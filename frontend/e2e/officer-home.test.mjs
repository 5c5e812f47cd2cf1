// The officer's home says what its figures count (people registered on the
// system in the area, not the population) and breaks them down by commune
// and by centre, inside the officer's scope, at 360 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, apiToken, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('officer home', () => {
  for (const [name, account] of [['province', DEMO.officerProvince], ['commune', DEMO.officerCommune]]) {
    it(`a ${name} officer sees the registered people by commune and centre`, async () => {
      const summary = await apiGet(await apiToken(account), '/summary');
      const { context, page, errors } = await newPage(b.browser);
      try {
        await signIn(page, account);
        const main = page.locator('main');
        await main.getByText('Người đăng ký trên hệ thống trên địa bàn').waitFor();
        await main.getByText('không phải dân số', { exact: false }).waitFor();
        const communes = page.getByTestId('by-commune').locator('li');
        await communes.first().waitFor();
        assert.equal(await communes.count(), summary.by_commune.length);
        assert.equal(await page.getByTestId('by-centre').locator('li').count(), summary.by_centre.length);
        const total = summary.by_commune.reduce((n, c) => n + c.people, 0);
        assert.ok(total <= summary.people, `the communes' people (${total}) are among the area's (${summary.people})`);
        if (name === 'commune') assert.equal(summary.by_commune.length, 1, 'a commune officer sees only their commune');
        const first = summary.by_commune[0];
        await page.getByTestId('by-commune').getByText(`${first.people} người`).first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
        await shot(page, `officer-home-${name}-360`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
