// Learners into a class from a CSV file on a 360 px phone: checked first
// (counts and each bad row named, nothing written), then applied — seats
// filled in order, the rest on the waiting list — and applied again
// without enrolling anybody twice. Then its sessions from a timetable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, RESULTS, apiGet, launch, newPage, shot, signIn, uniquePhone } from './helpers.mjs';
import { apiSend, managerWorld, monday, unique, uniquePersonName, vnDay } from './classes-api.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('class import at 360 px', () => {
  it('checks the file, names the bad row, enrols in order with a waiting list, and is idempotent', async () => {
    const w = await managerWorld(DEMO.manager);
    const title = unique('Lớp nhập danh sách');
    const klass = await apiSend(w.token, 'POST', '/classes', {
      centre_id: w.centre, course_id: w.course, title, mode: 'online', capacity: 2, meeting_url: 'https://meet.example.org/nhap',
      starts_on: monday(0), ends_on: monday(4), enrol_from: vnDay(-1), enrol_until: vnDay(10),
    });
    assert.equal(klass.status, 201, JSON.stringify(klass.body));
    const c = klass.body;
    const opened = await apiSend(w.token, 'PUT', `/classes/${c.id}`, { title, mode: c.mode, capacity: 2, starts_on: c.starts_on, ends_on: c.ends_on,
      enrol_from: c.enrol_from, enrol_until: c.enrol_until, meeting_url: c.meeting_url, status: 'open' });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    const people = [uniquePersonName('Lò Văn'), uniquePersonName('Tòng Thị'), uniquePersonName('Vàng A')];
    const bad = uniquePersonName('Lò Văn Sai');
    const csv = [
      'Họ và tên;Ngày sinh;Giới tính;Bản/Tổ dân phố;Số điện thoại',
      ...people.map((n, i) => `${n};0${i + 1}/03/198${i};${i === 1 ? 'Nữ' : 'Nam'};Bản Nà Khuổng;${uniquePhone()}`),
      `${bad};31/02/1990;Nam;Tổ 2;`,
    ].join('\r\n');
    const file = join(RESULTS, 'class-import.csv');
    writeFileSync(file, '\ufeff' + csv + '\r\n');

    const { context, page, errors } = await newPage(b.browser, { width: 360 });
    try {
      await signIn(page, DEMO.manager);
      await page.goto(`/lop-hoc/${c.id}`);
      const box = page.getByTestId('class-import');
      await box.waitFor();
      await page.locator('#class-import-file').setInputFiles(file);
      const result = page.getByTestId('class-import-result');
      await result.waitFor();
      const text = await result.textContent();
      assert.match(text, /Kết quả kiểm tra \(chưa ghi gì\):.*Tạo mới 3 người · tìm thấy 0 · ghi danh 2 · danh sách chờ 1 · đã có trong lớp 0/s);
      const row = result.locator('tbody tr');
      assert.equal(await row.count(), 1);
      assert.match(await row.textContent(), new RegExp(bad));
      assert.match(await row.textContent(), /không có trên lịch/);
      // The check wrote nothing.
      assert.equal((await apiGet(w.token, `/classes/${c.id}/enrolments`)).items.length, 0);
      await shot(page, 'classes-import-check-360');

      await result.getByTestId('class-import-apply').click();
      await result.getByText('Đã nhập:').waitFor();
      assert.match(await result.textContent(), /ghi danh 2 · danh sách chờ 1/);
      const roster = page.getByTestId('class-roster');
      await roster.getByText(people[0]).waitFor();
      const list = await apiGet(w.token, `/classes/${c.id}/enrolments`);
      assert.deepEqual(list.items.map((x) => x.person_name).sort(), [people[0], people[1]].sort());
      assert.deepEqual(list.waitlist.map((x) => [x.person_name, x.waitlist_position]), [[people[2], 1]]);
      await page.getByTestId('class-waitlist').getByText(people[2]).waitFor();

      // The same file again: found, already in the class, nobody enrolled twice.
      await page.locator('#class-import-file').setInputFiles(file);
      await result.getByText('Kết quả kiểm tra (chưa ghi gì):').waitFor();
      assert.match(await result.textContent(), /Tạo mới 0 người · tìm thấy 3 · ghi danh 0 · danh sách chờ 0 · đã có trong lớp 3/);

      // The class has no sessions yet: two Tuesday evenings from a timetable, previewed then saved.
      await page.getByTestId('plan-more-open').click();
      const more = page.getByTestId('plan-more');
      await more.getByLabel('Thứ Ba').check();
      await page.locator('#pm-start').fill('19:00');
      await page.locator('#pm-count').fill('2');
      await more.getByTestId('plan-more-preview').click();
      const planned = more.getByTestId('plan-more-result');
      await planned.getByText('2 buổi học sẽ được tạo').waitFor();
      assert.match(await planned.textContent(), /Thứ Ba .* 19:00–20:30/);
      await planned.getByTestId('plan-more-save').click();
      await page.getByText('Đã thêm 2 buổi học.').waitFor();
      assert.equal(await page.getByTestId('class-session').count(), 2);
      assert.match(await page.getByTestId('class-session').first().textContent(), /Trực tuyến/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
