// Quizzes (issue 10), on a phone (360 px): the manager opens a draft of the
// demo course "Kỹ năng số cơ bản cho người dân", adds four questions of every
// kind to its quiz lesson's bank (the decimal comma in a numeric answer),
// sets the rules (pass mark, attempts, a time limit, shuffled questions) and
// publishes; a learner enrolled in the new version takes the quiz one
// question per screen (no right answer in any response before submitting),
// reviews, submits once and sees the score, pass and the explanations; the
// manager sees the statistics, the learner in the course's learners screen,
// and downloads the CSV (BOM, formula-safe names). Nothing scrolls sideways
// at 360 or 320 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, DEMO, apiGet, apiToken, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const COURSE = 'Kỹ năng số cơ bản cho người dân';
const QUIZ = 'Kiểm tra cuối khóa';
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function apiPost(token, path, body) {
  const res = await fetch(BASE_URL + '/api/v1' + path, {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

// The questions, and how the learner answers them (the multiple-choice one
// half right, so that one answer is wrong and its explanation matters).
const Q = {
  otp: {
    kind: 'single',
    prompt: 'Có người gọi điện xưng là công an, đề nghị đọc mã OTP. Bạn nên làm gì?',
    options: ['Đọc mã OTP cho họ', 'Không đọc, cúp máy và báo người thân hoặc công an xã'],
    correct: [1],
    explanation: 'Công an và ngân hàng không bao giờ hỏi mã OTP.',
  },
  link: {
    kind: 'true_false',
    prompt: 'Có thể bấm vào đường dẫn trong tin nhắn nếu tin nhắn có logo ngân hàng.',
    answer: false,
    explanation: 'Kẻ gian giả logo rất dễ; hãy gọi tổng đài ngân hàng để hỏi.',
  },
  signs: {
    kind: 'multiple',
    prompt: 'Dấu hiệu nào cho thấy tin nhắn có thể là lừa đảo?',
    options: ['Có đường dẫn lạ', 'Giục chuyển tiền gấp', 'Số quen đã lưu trong danh bạ'],
    correct: [0, 1],
    explanation: 'Đường dẫn lạ và lời giục chuyển tiền gấp là dấu hiệu thường gặp.',
  },
  data: {
    kind: 'numeric',
    prompt: 'Gói cước cho 1,5 GB mỗi ngày. Sau 3 ngày bạn có tổng cộng bao nhiêu GB?',
    number: '4,5',
    tolerance: '0,1',
    explanation: '1,5 × 3 = 4,5 GB.',
  },
};

async function addQuestion(page, q) {
  await page.getByTestId('question-add').click();
  const form = page.getByTestId('question-form');
  await form.locator('select').first().selectOption(q.kind);
  await form.locator('textarea').first().fill(q.prompt);
  if (q.options) {
    while ((await form.locator('input.opt-text').count()) < q.options.length) {
      await form.getByTestId('option-add').click();
    }
    for (const [i, o] of q.options.entries()) await form.getByTestId('option-' + i).fill(o);
    for (const i of q.correct) await form.getByTestId('option-correct-' + i).check();
  } else if (q.kind === 'true_false') {
    await form.getByTestId(q.answer ? 'tf-true' : 'tf-false').check();
  } else {
    await form.locator('input[inputmode="decimal"]').nth(0).fill(q.number);
    await form.locator('input[inputmode="decimal"]').nth(1).fill(q.tolerance);
  }
  await form.locator('textarea').last().fill(q.explanation);
  await form.getByTestId('question-save').click();
  await page.locator('[data-testid="bank-question"]', { hasText: q.prompt }).waitFor();
}

describe('quiz (manager, learner) at 360 px', () => {
  it('the manager adds questions in a draft and publishes; a learner takes the quiz and sees the result; the manager sees the learner and exports the CSV', async () => {
    const mToken = await apiToken(DEMO.manager);
    const found = await apiGet(mToken, '/courses?q=' + encodeURIComponent(COURSE));
    const course = found.items.find((c) => c.title === COURSE);
    assert.ok(course, 'the demo course exists');

    // 1. The manager: a draft, the bank, the rules, publishing.
    const m = await newPage(b.browser, { width: 360, bypassCSP: true });
    try {
      await signIn(m.page, DEMO.manager);
      await m.page.goto(`/khoa-hoc/${course.id}/sua`);
      await m.page.getByTestId('open-draft').click();
      await m.page.getByTestId('publish').waitFor();
      const lesson = m.page.locator('[data-testid="lesson"]', { hasText: QUIZ });
      const lessonId = await lesson.getAttribute('data-lesson-id');
      await m.page.getByTestId('quiz-open-' + lessonId).click();
      await m.page.getByTestId('quiz-panel').waitFor();
      await m.page.locator('[data-testid="quiz-panel"] h4').first().waitFor();
      const before = await m.page.getByTestId('bank-question').count();
      for (const q of Object.values(Q)) await addQuestion(m.page, q);
      assert.equal(await m.page.getByTestId('bank-question').count(), before + 4);

      const rules = m.page.getByTestId('quiz-rules-form');
      await rules.locator('input[inputmode="numeric"]').nth(0).fill('60');
      await rules.locator('input[inputmode="numeric"]').nth(1).fill('2');
      await rules.locator('input[inputmode="decimal"]').fill('10');
      await rules.getByText('Xáo trộn thứ tự câu hỏi').click();
      // Only these four questions (the demo data may have put others in the bank).
      await rules.getByTestId('quiz-all').uncheck();
      const picks = rules.locator('fieldset label');
      for (let i = 0; i < (await picks.count()); i++) {
        const text = (await picks.nth(i).innerText()).trim();
        const mine = Object.values(Q).some((q) => q.prompt === text);
        await picks.nth(i).locator('input').setChecked(mine);
      }
      await rules.getByTestId('quiz-rules-save').click();
      await m.page.getByText('Đã lưu cài đặt bài kiểm tra.').waitFor();
      assert.ok((await overflow(m.page)) <= 0, 'the editor with the quiz panel fits 360 px');
      await m.page.getByTestId('question-add').click();
      assert.deepEqual(await axe(m.page), [], 'no WCAG violations in the quiz panel with a question form');
      await m.page.getByTestId('question-form').getByRole('button', { name: 'Hủy' }).click();
      await shot(m.page, 'quiz-editor-360');

      await m.page.getByTestId('publish').click();
      await m.page.getByTestId('publish-confirm').click();
      await m.page.getByTestId('open-draft').waitFor();
    } finally {
      await m.context.close();
    }
    assert.deepEqual(m.errors, []);

    // 2. The learner enrols (API) in the new version and takes the quiz.
    const lToken = await apiToken(DEMO.learner);
    let enrol = await apiPost(lToken, `/courses/${course.id}/enrolments`, {});
    if (enrol.status === 409) {
      // Enrolled in an earlier version by the demo data: withdraw, then enrol in the new one.
      const mine = await apiGet(lToken, '/me/enrolments');
      const old = (mine.items ?? []).find((e) => e.course_id === course.id && (e.status === 'active' || e.status === 'waitlisted'));
      if (old) await apiPost(lToken, `/enrolments/${old.id}/withdraw`, { reason: 'Học lại phiên bản mới' });
      enrol = await apiPost(lToken, `/courses/${course.id}/enrolments`, {});
    }
    if (enrol.status !== 201) {
      const me = await apiGet(lToken, '/me');
      enrol = await apiPost(mToken, `/courses/${course.id}/enrolments`, { person_id: me.person.id });
    }
    assert.equal(enrol.status, 201, JSON.stringify(enrol.body));
    const detail = await apiGet(lToken, `/enrolments/${enrol.body.id}`);
    const quizLesson = detail.lessons.find((l) => l.kind === 'quiz');
    assert.ok(quizLesson);

    const l = await newPage(b.browser, { width: 360, bypassCSP: true });
    try {
      await signIn(l.page, DEMO.learner);
      await l.page.goto(`/kiem-tra/${quizLesson.id}?enrolment=${enrol.body.id}`);
      await l.page.getByTestId('quiz-start').waitFor();
      assert.match(await l.page.getByTestId('attempts-left').innerText(), /2/);
      const started = l.page.waitForResponse((r) => r.url().endsWith(`/lessons/${quizLesson.id}/quiz/attempts`) && r.request().method() === 'POST');
      await l.page.getByTestId('quiz-start').click();
      const attemptJson = await (await started).text();
      for (const secret of ['"correct"', '"explanation', '"answer_bool"', '"answer_num"', '"review"', 'Công an và ngân hàng không bao giờ']) {
        assert.ok(!attemptJson.includes(secret), `the started attempt carries no ${secret}`);
      }
      await l.page.getByTestId('quiz-timer').waitFor();
      assert.match(await l.page.getByTestId('quiz-timer').innerText(), /^(10:00|9:\d\d)$/);

      for (let i = 1; i <= 4; i++) {
        await l.page.getByTestId('question-heading').filter({ hasText: `Câu ${i} / 4` }).waitFor();
        const box = l.page.getByTestId('question');
        const prompt = await box.locator('.prompt').innerText();
        const q = Object.values(Q).find((x) => x.prompt === prompt);
        assert.ok(q, 'a question of the bank: ' + prompt);
        if (q.kind === 'single') await box.getByText(q.options[1]).click();
        else if (q.kind === 'true_false') await box.getByText('Sai', { exact: true }).click();
        else if (q.kind === 'multiple') await box.getByText(q.options[0]).click();
        else {
          await box.getByTestId('numeric-answer').fill('4,5');
          assert.equal(await box.getByTestId('numeric-echo').innerText(), 'Máy hiểu là: 4,5');
        }
        assert.deepEqual(await smallTargets(l.page), [], 'every target at least 44 px');
        assert.ok((await overflow(l.page)) <= 0, 'the question fits 360 px');
        if (i === 1) {
          assert.deepEqual(await axe(l.page), [], 'no WCAG violations on a question');
          await shot(l.page, 'quiz-question-360');
          await l.page.setViewportSize({ width: 320, height: 700 });
          assert.ok((await overflow(l.page)) <= 0, 'the question fits 320 px');
          assert.deepEqual(await smallTargets(l.page), [], 'every target at least 44 px at 320 px');
          await l.page.setViewportSize({ width: 360, height: 800 });
        }
        await l.page.getByTestId(i < 4 ? 'quiz-next' : 'quiz-review').click();
      }
      // A reload keeps the answers (they are on the device until submitted).
      await l.page.reload();
      await l.page.getByTestId('quiz-start').click();
      await l.page.getByTestId('question-heading').waitFor();
      assert.match(await l.page.getByTestId('question-heading').innerText(), /Câu 4 \/ 4/);
      await l.page.getByTestId('quiz-review').click();
      assert.equal(await l.page.getByTestId('review-list').locator('li').count(), 4);
      assert.equal(await l.page.getByTestId('review-list').getByText('Chưa trả lời').count(), 0);

      const submitted = l.page.waitForResponse((r) => /\/quiz-attempts\/\d+\/submit$/.test(r.url()));
      await l.page.getByTestId('quiz-submit').click();
      assert.equal((await submitted).status(), 200);
      await l.page.getByTestId('quiz-result').waitFor();
      assert.equal(await l.page.getByTestId('quiz-score').innerText(), '75%');
      assert.equal(await l.page.getByTestId('quiz-result').getAttribute('data-passed'), 'true');
      assert.equal(await l.page.locator('[data-testid="answer"][data-right="true"]').count(), 3);
      assert.equal(await l.page.locator('[data-testid="answer"][data-right="false"]').count(), 1);
      const explanations = await l.page.getByTestId('explanation').allInnerTexts();
      assert.ok(explanations.includes(Q.signs.explanation) && explanations.includes(Q.otp.explanation), explanations.join(' | '));
      await l.page.getByTestId('best').filter({ hasText: '75%' }).waitFor();
      assert.match(await l.page.getByTestId('attempts-left').innerText(), /^1$/);
      assert.equal(await l.page.getByTestId('quiz-timer').count(), 0, 'no countdown after submitting');
      assert.deepEqual(await axe(l.page), [], 'no WCAG violations on the result');
      await shot(l.page, 'quiz-result-360');
      await l.page.setViewportSize({ width: 320, height: 700 });
      assert.ok((await overflow(l.page)) <= 0, 'the result fits 320 px');
    } finally {
      await l.context.close();
    }
    assert.deepEqual(l.errors, []);

    // A person whose name would run as a formula in a spreadsheet, enrolled by the manager.
    const commune = (await apiGet(mToken, '/me')).person.commune_id;
    const evil = await apiPost(mToken, '/people', { full_name: '=Lò Văn Công', birth_year: 1990, commune_id: commune });
    let evilEnrolled = false;
    if (evil.status === 201) {
      const r = await apiPost(mToken, `/courses/${course.id}/enrolments`, { person_id: evil.body.id });
      evilEnrolled = r.status === 201;
    } else {
      console.log(`# a name starting with "=" is refused by the people API (${evil.status}); the CSV check covers the BOM only`);
    }

    // 3. The manager: statistics, the learners screen, the CSV.
    const m2 = await newPage(b.browser, { width: 360, bypassCSP: true });
    try {
      await signIn(m2.page, DEMO.manager);
      await m2.page.goto(`/khoa-hoc/${course.id}/sua`);
      const lesson = m2.page.locator('[data-testid="lesson"]', { hasText: QUIZ });
      await lesson.waitFor();
      await m2.page.getByTestId('quiz-open-' + (await lesson.getAttribute('data-lesson-id'))).click();
      await m2.page.getByTestId('quiz-stats').waitFor();
      // The new questions were answered once, by this learner: the multiple-choice one wrong.
      for (const q of Object.values(Q)) {
        const share = await m2.page.locator('[data-testid="bank-question"]', { hasText: q.prompt }).getByTestId('question-share').innerText();
        assert.equal(share, q === Q.signs ? '0% trả lời đúng (0/1)' : '100% trả lời đúng (1/1)', q.prompt);
      }

      await m2.page.getByTestId('course-learners').click();
      await m2.page.waitForURL((u) => u.pathname === `/khoa-hoc/${course.id}/hoc-vien`);
      const me = await apiGet(lToken, '/me');
      const row = m2.page.locator('[data-testid="learner"]', { hasText: me.person.full_name });
      await row.waitFor();
      const pct = Number((await row.getByTestId('learner-percent').innerText()).replace('%', ''));
      assert.ok(pct > 0, 'the passed quiz counts in the progress: ' + pct);
      assert.equal(await row.getByTestId('learner-class').innerText(), 'Tự học trực tuyến', 'the line says which enrolment it is');
      // Quiz scores come with the list once the enrolments contract carries them (branch i10-back).
      const withScores = (await row.getByTestId('learner-score').count()) > 0;
      if (withScores) assert.match(await row.getByTestId('learner-score').innerText(), /Điểm kiểm tra: 75%.*Kiểm tra cuối khóa: cao nhất 75%, gần nhất 75% \(1 lần\)/s);
      else console.log('# the learners list carries no quiz scores on this build; progress only');
      // Sorted by progress, highest first.
      await m2.page.locator('#learners-sort').selectOption('progress');
      const sorted = m2.page.waitForResponse((r) => r.url().includes('/learners?') && r.url().includes('order=desc'));
      await m2.page.getByTestId('learners-order').click();
      await sorted;
      await m2.page.locator('[data-testid="learners"][aria-busy="false"]').waitFor();
      const pcts = (await m2.page.getByTestId('learner-percent').allInnerTexts()).map((x) => Number(x.replace('%', '')));
      assert.deepEqual(pcts, [...pcts].sort((a, b) => b - a), 'progress, highest first');
      assert.ok((await overflow(m2.page)) <= 0, 'the learners screen fits 360 px');
      assert.deepEqual(await axe(m2.page), [], 'no WCAG violations on the learners screen');
      await shot(m2.page, 'quiz-learners-360');

      const download = m2.page.waitForEvent('download');
      await m2.page.getByTestId('learners-csv').click();
      const file = await (await download).path();
      const bytes = await readFile(file);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM first');
      const text = bytes.toString('utf8').slice(1);
      assert.match(text.split('\r\n')[0], /^Họ và tên;Trạng thái;Lớp;Tiến độ \(%\)/);
      const line = text.split('\r\n').find((x) => x.startsWith(me.person.full_name + ';'));
      assert.ok(line, 'the learner is in the file');
      assert.match(line, /^[^;]+;[^;]+;Tự học trực tuyến;/, 'the class column: an online enrolment');
      if (withScores) {
        assert.match(text.split('\r\n')[0], /;Điểm kiểm tra \(%\);Kiểm tra cuối khóa: điểm cao nhất \(%\);/);
        assert.match(line, /;75;75;75;1$/);
      }
      if (evilEnrolled) {
        assert.ok(text.split('\r\n').some((line) => line.startsWith("'=Lò Văn Công;")), 'the formula-like name starts with an apostrophe');
        assert.ok(!text.split('\r\n').some((line) => line.startsWith('=')), 'no line starts with =');
      }
      await m2.page.setViewportSize({ width: 320, height: 700 });
      assert.ok((await overflow(m2.page)) <= 0, 'the learners screen fits 320 px');
    } finally {
      await m2.context.close();
    }
    assert.deepEqual(m2.errors, []);
  });
});
