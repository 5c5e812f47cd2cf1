// Staff enrol people in an online course from its learners screen (issue
// 10), at 360 px: the manager of Tân Phong opens the learners of "Kỹ năng số
// cơ bản cho người dân", searches a person of the commune, enrols them, sees
// them in the list, and is told plainly when enrolling them a second time.
// The screen fits 320 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO, apiGet, apiToken, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';

const COURSE = 'Kỹ năng số cơ bản cho người dân';
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('staff enrol a person', () => {
  it('the manager enrols a person of the commune from the learners screen; a second time is refused plainly', async () => {
    const manager = await apiToken(DEMO.manager);
    const found = await apiGet(manager, '/courses?q=' + encodeURIComponent(COURSE));
    const course = found.items.find((c) => c.title === COURSE);
    assert.ok(course, 'the demo course exists');
    // A person of the manager's commune, new to the course (a unique name: the spec may run again on the same data).
    const commune = (await apiGet(manager, '/me')).person.commune_id;
    // Names take letters only: the time's digits spelled as letters.
    const tag = String(Date.now() % 100000).replace(/\d/g, (d) => 'abcdeghikl'[d]);
    const name = `Lò Thị Ghi Danh ${tag[0].toUpperCase()}${tag.slice(1)}`;
    const res = await fetch(BASE_URL + '/api/v1/people', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + manager, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ full_name: name, birth_year: 1986, commune_id: commune }),
    });
    assert.equal(res.status, 201, await res.clone().text());

    const { context, page, errors } = await newPage(b.browser, { width: 360, bypassCSP: true });
    try {
      await signIn(page, DEMO.manager);
      await page.goto(`/khoa-hoc/${course.id}/hoc-vien`);
      await page.getByTestId('enrol-open').click();
      await page.locator('#enrol-q').fill(name);
      await page.getByTestId('enrol-search').click();
      const candidate = page.locator('[data-testid="enrol-candidate"]', { hasText: name });
      await candidate.waitFor();
      assert.match(await candidate.innerText(), /sinh 1986/);
      assert.equal(await overflow(page), 0, 'the search fits 360 px');
      assert.deepEqual(await axe(page), [], 'axe on the learners screen with the enrol panel');
      assert.deepEqual(await smallTargets(page), [], 'small targets on the enrol panel');
      await shot(page, 'course-enrol-search-360');

      await candidate.getByTestId('enrol-person').click();
      await page.getByText(`Đã ghi danh ${name} vào khóa học.`).waitFor();
      const row = page.locator('[data-testid="learner"]', { hasText: name });
      await row.waitFor();
      assert.match(await row.innerText(), /Đang học/);
      assert.equal(await row.getByTestId('learner-percent').innerText(), '0%');
      await shot(page, 'course-enrol-done-360');

      // Again: already enrolled, said in words.
      await candidate.getByTestId('enrol-person').click();
      await page.getByRole('alert').filter({ hasText: `${name} đã ghi danh khóa học này rồi.` }).waitFor();
      assert.equal(await page.locator('[data-testid="learner"]', { hasText: name }).count(), 1, 'one enrolment');

      // The server agrees: one staff enrolment of this person.
      const learners = await apiGet(manager, `/courses/${course.id}/learners?page_size=100&sort=enrolled_at&order=desc`);
      const mine = learners.items.filter((l) => l.person_name === name);
      assert.equal(mine.length, 1);
      assert.equal(mine[0].source, 'staff');

      await page.setViewportSize({ width: 320, height: 700 });
      assert.equal(await overflow(page), 0, 'the learners screen with the enrol panel fits 320 px');
      await shot(page, 'course-enrol-320');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
