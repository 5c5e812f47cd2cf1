// The class page's learners at 360 px and on a desktop: the manager finds a
// person and enrols them; the class being full, the next goes to the
// waiting list with a position; withdrawing the first (with a reason)
// promotes the second; the history keeps the wait and the promotion. A
// session is moved, then onto the demo class's venue and hour: refused,
// naming that class; then cancelled with a reason.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, apiGet, launch, newPage, shot, signIn } from './helpers.mjs';
import { apiSend, managerWorld, monday, unique, uniquePersonName, vnDay } from './classes-api.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

for (const width of [360, 1280]) {
  describe(`class page roster at ${width} px`, () => {
    it('enrols, puts the next on the waiting list, promotes on withdrawal, keeps the history, names a double booking', async () => {
      const w = await managerWorld(DEMO.manager);
      const commune = w.me.person.commune_id;
      const venue = await apiSend(w.token, 'POST', '/venues', { centre_id: w.centre, name: unique('Trường tiểu học'), capacity: 30 });
      const title = unique('Lớp một chỗ');
      const klass = await apiSend(w.token, 'POST', '/classes', {
        centre_id: w.centre, course_id: w.course, title, mode: 'in_person', venue_id: venue.body.id, capacity: 1,
        starts_on: monday(0), ends_on: monday(4), enrol_from: vnDay(-1), enrol_until: vnDay(10),
      });
      assert.equal(klass.status, 201, JSON.stringify(klass.body));
      const c = klass.body;
      const opened = await apiSend(w.token, 'PUT', `/classes/${c.id}`, { title, mode: c.mode, venue_id: c.venue_id, capacity: 1, starts_on: c.starts_on, ends_on: c.ends_on,
        enrol_from: c.enrol_from, enrol_until: c.enrol_until, status: 'open' });
      assert.equal(opened.status, 200, JSON.stringify(opened.body));
      // A session next Monday at 10:00, to move onto the demo class's 18:30.
      const s = await apiSend(w.token, 'POST', `/classes/${c.id}/sessions`, { starts_at: `${monday(1)}T10:00:00+07:00`, ends_at: `${monday(1)}T11:00:00+07:00` });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      const first = uniquePersonName('Lò Thị');
      const second = uniquePersonName('Giàng Văn');
      for (const full_name of [first, second]) {
        const p = await apiSend(w.token, 'POST', '/people', { full_name, birth_year: 1980, commune_id: commune });
        assert.equal(p.status, 201, JSON.stringify(p.body));
      }

      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.manager);
        await page.goto(`/lop-hoc/${c.id}`);
        const roster = page.getByTestId('class-roster');
        await roster.getByText('Chưa có học viên nào.').waitFor();

        const enrol = async (name) => {
          await page.locator('#enrol-q').fill(name);
          await page.getByTestId('enrol-found').getByRole('button', { name: `Ghi danh ${name}` }).click();
        };
        await enrol(first);
        await page.getByText(`Đã ghi danh ${first}.`).waitFor();
        await roster.getByTestId('roster-person').filter({ hasText: first }).waitFor();
        await enrol(second);
        await page.getByText(`Lớp đã đủ chỗ: ${second} được xếp vào danh sách chờ (thứ tự 1).`).waitFor();
        const waiting = page.getByTestId('class-waitlist').getByTestId('roster-person');
        await waiting.filter({ hasText: 'Thứ tự chờ 1' }).filter({ hasText: second }).waitFor();
        await shot(page, `classes-roster-${width}`);

        // Withdraw the first: the second is promoted.
        const row = roster.getByTestId('roster-person').filter({ hasText: first }).first();
        await row.getByRole('button', { name: `Rút tên ${first}` }).click();
        await page.locator('input[id^="withdraw-"]').fill('Chuyển đi làm ăn xa');
        await row.locator('form').getByRole('button', { name: `Rút tên ${first}` }).click();
        await page.getByText(`Đã rút tên ${first}.`).waitFor();
        await roster.getByText('Không có ai trong danh sách chờ.').waitFor();
        const promoted = roster.getByTestId('roster-person').filter({ hasText: second });
        assert.match(await promoted.first().textContent(), /Đang học/);
        const list = await apiGet(w.token, `/classes/${c.id}/enrolments`);
        assert.deepEqual(list.items.map((x) => [x.person_name, x.status]), [[second, 'active']]);

        // The history of the promoted learner: waited, then active.
        await promoted.first().getByRole('button', { name: `Lịch sử ghi danh của ${second}` }).click();
        const history = promoted.first().locator('ol.history');
        await history.waitFor();
        assert.match(await history.textContent(), /Đang chờ[\s\S]*Đang học · hệ thống · được chuyển từ danh sách chờ khi có chỗ/);

        // Edit the class: an empty name is named beside its field; two more places.
        await page.getByTestId('class-edit-open').click();
        const edit0 = page.getByTestId('class-edit');
        await page.locator('#edit-title').fill('');
        await edit0.getByRole('button', { name: 'Lưu' }).click();
        await edit0.locator('[data-field="edit-title"] .error').waitFor();
        await page.locator('#edit-title').fill(title + ' (mở rộng)');
        await page.locator('#edit-capacity').fill('3');
        await edit0.getByRole('button', { name: 'Lưu' }).click();
        await page.getByText('Đã lưu thông tin lớp.').waitFor();
        assert.equal((await page.locator('main h1').textContent()).trim(), title + ' (mở rộng)');
        await page.getByText('1/3 học viên · còn 2 chỗ').waitFor();

        // Move the session to Monday evening (its own venue is free then), then onto the
        // demo class's venue: refused, naming the class in the way.
        const session = page.getByTestId('class-session').first();
        await session.getByRole('button', { name: /^Sửa buổi/ }).click();
        let edit = page.getByTestId('session-edit');
        await edit.locator('input[type="time"]').nth(0).fill('18:30');
        await edit.locator('input[type="time"]').nth(1).fill('19:30');
        await edit.getByRole('button', { name: 'Đổi giờ' }).click();
        await page.getByText('Đã lưu buổi học.').waitFor();
        assert.match(await session.textContent(), /18:30–19:30/);
        await session.getByRole('button', { name: /^Sửa buổi/ }).click();
        edit = page.getByTestId('session-edit');
        await edit.locator('select[id$="-venue"]').selectOption({ label: 'Nhà văn hoá tổ dân phố số 5' });
        await edit.getByRole('button', { name: 'Đổi địa điểm' }).click();
        await edit.getByText('Trùng lịch với lớp «Kỹ năng số cơ bản — lớp buổi tối tổ 5» (18:30–20:00', { exact: false }).waitFor();
        assert.match(await edit.textContent(), /địa điểm\)/);
        await shot(page, `classes-session-conflict-${width}`);
        // Cancelled with a reason instead: struck through, the reason shown.
        await edit.locator('input[id$="-reason"]').fill('Giáo viên đi tập huấn');
        await edit.getByRole('button', { name: 'Huỷ buổi' }).click();
        await page.getByText('Đã huỷ buổi học.').waitFor();
        assert.match(await session.textContent(), /Đã huỷ: Giáo viên đi tập huấn/);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
