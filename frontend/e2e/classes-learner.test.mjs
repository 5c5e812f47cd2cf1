// The learner's side of classes (issue 11), at 360 px: classes near me (my
// commune first), enrolling (a place, or the waiting list with my number
// when the class is full), the overlap warning that does not refuse, the
// refusals in Vietnamese (already enrolled, window closed), my schedule as a
// day list with the class's session in it, the phone-calendar link, and
// withdrawing with a reason. Each test leaves the demo learner enrolled in
// nothing new (it withdraws at the end), so the homes test still finds an
// empty schedule.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';
import { cancelSession, enrolAs, myClasses, newPerson, openClass, selfEnrol, setWindow, tag, vnDate, withdraw, world } from './class-fixtures.mjs';
import { clearOfMidnight } from './vnclock.mjs';

let b;
let w;
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const card = (page, k) => page.locator(`[data-testid="open-class"][data-class-id="${k.id}"]`);

const taught = []; // sessions of the demo teacher made here
before(async () => {
  b = await launch();
  w = await world();
});
after(async () => {
  // The demo teacher's hours free again for the specs after this one (a cancelled session holds no slot).
  for (const id of taught) await cancelSession(w, id, 'Hết giờ kiểm thử');
  // Whatever a failed test left: the demo learner withdraws from the classes these tests made.
  if (w) for (const c of await myClasses(w).catch(() => [])) if (/^Lớp (gần nhà|trùng giờ|hai máy|hết hạn|đầy chỗ) /.test(c.class_title)) await withdraw(w, c.enrolment_id);
  await b?.close();
});

describe('learner: classes near me and my schedule', () => {
  it('finds an open class near them, enrols, sees its session in the schedule, is warned of an overlap, then withdraws', async () => {
    const t = tag();
    // "Ngày mai" must stay tomorrow in Vietnam until the test is done.
    await clearOfMidnight(5);
    const tomorrow = vnDate(1);
    // 07:00 is free for the demo teacher: the demo's classes are on weekday mornings from 08:00 and evenings.
    const near = await openClass(w, { title: `Lớp gần nhà ${t}`, capacity: 10, sessions: [{ date: tomorrow, from: '07:00', to: '07:45' }, { date: vnDate(2), from: '07:00', to: '07:45', mode: 'online' }] });
    taught.push(...near.sessions.map((s) => s.id));
    const overlapping = await openClass(w, { title: `Lớp trùng giờ ${t}`, capacity: 10, teacher: false, sessions: [{ date: tomorrow, from: '07:30', to: '08:15' }] });

    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.learner);
      await page.getByTestId('home-nearby').click();
      await page.waitForURL((u) => u.pathname === '/lop-gan-toi');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Lớp học gần tôi');

      // The class is listed with its centre, commune, dates, sessions and places; my commune's classes come first.
      const c = card(page, near);
      await c.waitFor();
      const text = await c.innerText();
      assert.ok(text.includes('TTHTCĐ phường Tân Phong · Phường Tân Phong') || /TTHTCĐ phường Tân Phong · .*Tân Phong/.test(text), text);
      assert.match(text, /Xã, phường của bạn/);
      assert.match(text, /2 buổi sắp tới/);
      assert.match(text, /Buổi gần nhất: Ngày mai · Thứ \S+( \S+)?, \d{2}\/\d{2}\/\d{4}, 07:00/);
      assert.equal((await c.getByTestId('open-class-seats').innerText()).trim(), 'Còn 10 chỗ');
      const nears = await page.locator('[data-testid="open-class"]').evaluateAll((els) => els.map((e) => e.dataset.near));
      assert.deepEqual(nears, [...nears].sort((a, b) => (a === 'commune' ? 0 : 1) - (b === 'commune' ? 0 : 1)), 'own commune first: ' + nears.join(','));
      assert.ok((await overflow(page)) <= 0, 'the list fits 360 px');
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(await smallTargets(page), []);
      await shot(page, 'classes-open-360');
      await page.setViewportSize({ width: 320, height: 700 });
      assert.ok((await overflow(page)) <= 0, 'the list fits 320 px');
      await page.setViewportSize({ width: 360, height: 800 });

      // Enrol: a place, said plainly, the places left go down.
      await c.getByTestId('enrol').click();
      const result = c.getByTestId('enrol-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-status'), 'active');
      assert.equal((await result.innerText()).trim(), `Bạn đã ghi danh lớp ${near.title}. Các buổi học đã có trong lịch học của bạn.`);
      assert.equal((await c.getByTestId('open-class-seats').innerText()).trim(), 'Còn 9 chỗ');
      assert.equal(await c.getByTestId('enrol').count(), 0, 'no second enrol button');

      // The overlapping class: enrolled all the same, with a warning naming the other class and its time.
      const o = card(page, overlapping);
      await o.getByTestId('enrol').click();
      await o.getByTestId('enrol-result').waitFor();
      assert.equal(await o.getByTestId('enrol-result').getAttribute('data-status'), 'active');
      const warning = await o.getByTestId('enrol-overlap').innerText();
      assert.match(warning, /trùng giờ/);
      assert.ok(warning.includes(`${near.title}: Ngày mai`), warning);
      assert.match(warning, /07:00–07:45/);
      assert.equal(await o.getByRole('alert').count(), 0, 'a warning, not an error');
      await shot(page, 'classes-enrolled-overlap-360');

      // My schedule: tomorrow's session under "Ngày mai", at its venue; the class enrolled with its next session.
      await c.getByTestId('enrol-schedule').click();
      await page.waitForURL((u) => u.pathname === '/lich-hoc');
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Lịch học của tôi');
      const session = page.locator(`[data-testid="sched-days"] [data-session-id="${near.sessions[0].id}"]`);
      await session.waitFor();
      assert.match(await session.innerText(), /07:00–07:45/);
      assert.ok((await session.innerText()).includes(near.venue.name));
      const day = page.locator('[data-testid="sched-days"] li.day', { has: page.locator(`[data-session-id="${near.sessions[0].id}"]`) });
      assert.match(await day.locator('h3').innerText(), /^Ngày mai · Thứ/);
      const online = page.locator(`[data-testid="sched-days"] [data-session-id="${near.sessions[1].id}"]`);
      assert.equal(await online.getByTestId('session-join').getAttribute('href'), 'https://meet.jit.si/densach-e2e-lop');
      const row = page.locator(`[data-testid="sched-class"][data-class-id="${near.id}"]`);
      assert.equal((await row.getByTestId('sched-class-status').innerText()).trim(), 'Đang học');
      assert.match(await row.innerText(), /Buổi tới: Ngày mai · Thứ .*07:00–07:45/);
      assert.equal(await page.getByTestId('sched-feed').getAttribute('href'), `/lich/dong-bo?kind=learner&subject=${w.learnerId}`);
      assert.ok((await overflow(page)) <= 0, 'the schedule fits 360 px');
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(await smallTargets(page), []);
      await shot(page, 'classes-schedule-360');
      await page.setViewportSize({ width: 320, height: 700 });
      assert.ok((await overflow(page)) <= 0, 'the schedule fits 320 px');
      await page.setViewportSize({ width: 360, height: 800 });

      // Withdraw with a reason: the class and its sessions leave my schedule.
      await row.getByTestId('withdraw').click();
      await row.getByLabel('Lý do (không bắt buộc)').fill('Bận việc nương rẫy');
      await row.getByTestId('withdraw-confirm').click();
      await page.getByTestId('sched-notice').getByText(`Bạn đã rút khỏi lớp ${near.title}.`).waitFor();
      await page.locator(`[data-testid="sched-class"][data-class-id="${near.id}"]`).waitFor({ state: 'detached' });
      await session.waitFor({ state: 'detached' });
      // The overlapping class's session is still there; leave it too (through the API), so the demo learner's schedule is as before.
      await page.locator(`[data-testid="sched-days"] [data-session-id="${overlapping.sessions[0].id}"]`).waitFor();
      for (const m of await myClasses(w)) if (m.class_id === overlapping.id) assert.equal((await withdraw(w, m.enrolment_id)).status, 200);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('a full class puts the learner on the waiting list with their number; they can leave it', async () => {
    const t = tag();
    const full = await openClass(w, { title: `Lớp đầy chỗ ${t}`, capacity: 1, teacher: false, sessions: [{ date: vnDate(1), from: '09:00', to: '09:45' }] });
    const other = await newPerson(w, `Lò Văn Giữ Chỗ ${t[0].toUpperCase()}${t.slice(1)}`);
    const taken = await enrolAs(w, full.id, other.id);
    assert.equal(taken.status, 'active');

    const { context, page, errors } = await newPage(b.browser, { bypassCSP: true });
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/lop-gan-toi');
      const c = card(page, full);
      await c.waitFor();
      assert.match(await c.getByTestId('open-class-seats').innerText(), /Hết chỗ: ghi danh vào danh sách chờ/);
      const button = c.getByTestId('enrol');
      assert.equal((await button.innerText()).trim(), 'Vào danh sách chờ');
      await button.click();
      const result = c.getByTestId('enrol-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-status'), 'waitlisted');
      assert.match(await result.innerText(), new RegExp(`Lớp ${full.title} đã đủ chỗ nên bạn ở danh sách chờ, vị trí số 1\\.`));
      await shot(page, 'classes-waitlisted-360');

      // Back on the list later: it says I wait, with my number.
      await page.reload();
      await c.getByTestId('open-class-mine').getByText('Bạn đang ở danh sách chờ, vị trí số 1.').waitFor();

      // My schedule: the class on the waiting list, its session not in my days.
      await page.goto('/lich-hoc');
      const row = page.locator(`[data-testid="sched-class"][data-class-id="${full.id}"]`);
      await row.waitFor();
      assert.equal((await row.getByTestId('sched-class-status').innerText()).trim(), 'Danh sách chờ: vị trí số 1');
      assert.equal(await page.locator(`[data-session-id="${full.sessions[0].id}"]`).count(), 0, 'a waiting learner has no sessions yet');
      assert.equal((await row.getByTestId('withdraw').innerText()).trim(), 'Rời danh sách chờ');
      await row.getByTestId('withdraw').click();
      await row.getByTestId('withdraw-confirm').click();
      await row.waitFor({ state: 'detached' });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('refusals are said in Vietnamese: enrolled already (from another device), enrolment window closed', async () => {
    const t = tag();
    const twice = await openClass(w, { title: `Lớp hai máy ${t}`, teacher: false, sessions: [{ date: vnDate(1), from: '10:00', to: '10:45' }] });
    const late = await openClass(w, { title: `Lớp hết hạn ${t}`, teacher: false, sessions: [{ date: vnDate(1), from: '11:00', to: '11:45' }] });
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.learner);
      await page.goto('/lop-gan-toi');
      await card(page, late).waitFor();
      // Meanwhile: enrolled from another device; the window of the other class closes.
      assert.equal((await selfEnrol(w, twice.id)).status, 201);
      await setWindow(w, late.id, vnDate(-7), vnDate(-1));

      await card(page, twice).getByTestId('enrol').click();
      await card(page, twice).getByRole('alert').getByText('Bạn đã ghi danh lớp này rồi.').waitFor();
      await card(page, late).getByTestId('enrol').click();
      await card(page, late).getByRole('alert').getByText('Lớp này không trong thời gian nhận ghi danh.').waitFor();
      await shot(page, 'classes-refused-360');
    } finally {
      await context.close();
      for (const m of await myClasses(w)) if (m.class_id === twice.id) await withdraw(w, m.enrolment_id);
    }
  });
});
