// The learner's online path at 360 px (issue 10): the demo learner enrols in
// "Kỹ năng số cơ bản cho người dân", reads the first lesson, watches part of
// the video, loses the connection and watches on (the progress is kept on the
// phone, with a note), gets the connection back (what was kept is sent),
// reloads and the video resumes where it was, finishes the lessons in order,
// passes the quiz through its screen (one question per screen), comes back
// to the player and sees 100% on My courses and the result on My results.
// Also measures the bytes the player page needs before any video, and checks
// the player and My results at 320 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, DEMO, RESULTS, apiGet, apiToken, axe, launch, newPage, shot, signIn, smallTargets } from './helpers.mjs';

const TITLE = 'Kỹ năng số cơ bản cho người dân';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

/** A JSON API call with a token (writes keyed, like the app). */
async function call(token, method, path, body) {
  const res = await fetch(BASE_URL + '/api/v1' + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/**
 * The demo course, with questions in its published quiz: when the published
 * quiz has none (demo data without a bank), the manager adds two to the bank
 * and publishes a new version, which then freezes them.
 */
async function demoCourse(manager) {
  const list = await apiGet(manager, '/courses?q=' + encodeURIComponent('ky nang so co ban'));
  const course = list.items.find((c) => c.title === TITLE);
  assert.ok(course, 'the demo course exists');
  const published = await apiGet(manager, `/courses/${course.id}?version=published`);
  const quizLesson = published.modules.flatMap((m) => m.lessons).find((l) => l.kind === 'quiz');
  assert.ok(quizLesson, 'the demo course has a quiz lesson');
  const quiz = await apiGet(manager, `/lessons/${quizLesson.id}/quiz`);
  if (quiz.questions.length === 0) {
    await call(manager, 'POST', `/courses/${course.id}/quiz-questions`, {
      kind: 'single',
      prompt_md: 'Ai được phép biết mã OTP của bạn?',
      options: ['Không ai cả', 'Nhân viên ngân hàng', 'Công an gọi điện'],
      correct: [0],
    });
    await call(manager, 'POST', `/courses/${course.id}/quiz-questions`, { kind: 'true_false', prompt_md: 'Nên bấm vào đường dẫn lạ trong tin nhắn.', answer_bool: false });
    await call(manager, 'POST', `/courses/${course.id}/draft`);
    await call(manager, 'POST', `/courses/${course.id}/publish`);
  }
  return course.id;
}

/** Plays the page's video (muted, so that no gesture is needed) for about ms, then pauses it; answers its time. */
async function play(page, ms, rate = 1) {
  return page.evaluate(
    async ([ms, rate]) => {
      const v = document.querySelector('[data-testid="video"]');
      v.muted = true;
      v.playbackRate = rate;
      await v.play();
      await new Promise((r) => setTimeout(r, ms));
      v.pause();
      return v.currentTime;
    },
    [ms, rate],
  );
}

describe('learner player', () => {
  it('enrols, watches, keeps progress offline, resumes, finishes and sees 100% (360 px)', async () => {
    const manager = await apiToken(DEMO.manager);
    const learner = await apiToken(DEMO.learner);
    const courseId = await demoCourse(manager);
    // A clean start: the demo learner's live enrolment in the course (if any) is withdrawn.
    for (const e of (await apiGet(learner, '/me/enrolments')).items ?? []) {
      if (e.course_id === courseId && e.status !== 'withdrawn') await call(learner, 'POST', `/enrolments/${e.id}/withdraw`, { reason: 'e2e' });
    }

    // bypassCSP: axe-core is injected to check the pages.
    const { context, page, errors } = await newPage(b.browser, { width: 360, bypassCSP: true });
    const posts = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && /\/enrolments\/\d+\/progress$/.test(r.url())) posts.push(r.status());
    });
    try {
      await signIn(page, DEMO.learner);
      await page.goto(`/khoa-hoc/${courseId}`);
      await page.getByTestId('enrol').waitFor();
      await shot(page, 'learner-course-enrol-360');
      await page.getByTestId('enrol').click();
      await page.waitForURL((u) => /^\/hoc\/\d+$/.test(u.pathname));
      const enrolmentId = Number(new URL(page.url()).pathname.split('/').pop());
      await page.getByTestId('player').waitFor();

      // The sequential course: the first lesson is open, the rest locked.
      const outline = page.getByTestId('outline-lesson');
      assert.equal(await outline.nth(0).getAttribute('data-locked'), 'false');
      assert.equal(await outline.nth(1).getAttribute('data-locked'), 'true');
      assert.equal(await page.getByTestId('next-lesson').isDisabled(), true);
      await page.getByRole('button', { name: /Danh sách bài/ }).click();
      await outline.nth(1).waitFor();
      await shot(page, 'learner-player-outline-360');
      await page.getByRole('button', { name: /Ẩn danh sách bài/ }).click();

      // 1. A text lesson: read, marked done; the next lesson opens.
      const lesson = page.getByTestId('player-lesson');
      assert.equal(await lesson.getAttribute('data-kind'), 'text');
      await lesson.locator('.prose').waitFor();
      await page.getByTestId('mark-done').click();
      await page.getByTestId('lesson-done').waitFor();
      await page.getByTestId('next-lesson').click();

      // 2. The video: a few seconds played; a heartbeat goes out on pause.
      await page.locator('[data-testid="player-lesson"][data-kind="video"]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="video"]')?.readyState >= 1);
      const duration = await page.evaluate(() => document.querySelector('[data-testid="video"]').duration);
      assert.ok(duration >= 3, `the demo video lasts ${duration} s`);
      const first = await play(page, 1200);
      assert.ok(first >= 0.8, `played to ${first} s`);
      const videoId = Number(await lesson.getAttribute('data-lesson-id'));
      const videoRow = async () => (await apiGet(learner, `/enrolments/${enrolmentId}`)).progress.find((p) => p.lesson_id === videoId);
      await waitFor(async () => {
        const row = await videoRow();
        return row && row.watched_s >= 1 && row.duration_s >= 3;
      }, 'the played range and the duration on the server after the pause');
      assert.ok(posts.every((s) => s === 200), 'every progress batch accepted: ' + posts.join(','));
      let state;

      // 3. Offline: more is watched, kept on the phone with a note.
      await context.setOffline(true);
      const second = await play(page, 1000);
      assert.ok(second > first, 'played on offline');
      await page.getByTestId('saved-offline').waitFor();
      const kept = await page.evaluate((id) => JSON.parse(localStorage.getItem('densach.progress.' + id) ?? '[]'), enrolmentId);
      assert.ok(kept.some((e) => e.kind === 'heartbeat' && e.played), 'the played range is kept in localStorage: ' + JSON.stringify(kept));
      await shot(page, 'learner-player-offline-360');

      // 4. Back online: what was kept is sent, the note goes.
      await context.setOffline(false);
      await page.getByTestId('saved-offline').waitFor({ state: 'detached', timeout: 20_000 });
      await waitFor(async () => (await page.evaluate((id) => localStorage.getItem('densach.progress.' + id), enrolmentId)) === null, 'the outbox emptied');
      state = await apiGet(learner, `/enrolments/${enrolmentId}`);
      const back = state.progress.find((p) => p.lesson_id === videoId);
      assert.ok(back.last_position_s >= Math.floor(second) - 1, `the offline position reached the server: ${back.last_position_s} vs ${second}`);
      assert.equal(state.resume.lesson_id, videoId);

      // 5. A reload continues where the learner left off: the bytes the player needs before any video are counted.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.setBypassServiceWorker', { bypass: true });
      const types = new Map();
      const bytes = { app: 0, api: 0, media: 0 };
      const files = [];
      cdp.on('Network.responseReceived', (e) => types.set(e.requestId, { type: e.type, url: e.response.url }));
      cdp.on('Network.loadingFinished', (e) => {
        const t = types.get(e.requestId);
        if (!t || t.url.startsWith('data:')) return;
        if (t.type === 'Media' || !t.url.startsWith(BASE_URL)) bytes.media += e.encodedDataLength;
        else if (t.url.includes('/api/')) bytes.api += e.encodedDataLength;
        else bytes.app += e.encodedDataLength;
        files.push({ url: t.url.replace(BASE_URL, '').replace(/\?.*$/, ''), type: t.type, bytes: e.encodedDataLength });
      });
      await page.reload();
      await page.locator('[data-testid="player-lesson"][data-kind="video"]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="video"]')?.readyState >= 1);
      await page.waitForLoadState('networkidle');
      const total = bytes.app + bytes.api;
      console.log(
        `player page before video (cold, no cache, no service worker): ${(total / 1024).toFixed(1)} KB over the wire ` +
          `(app ${(bytes.app / 1024).toFixed(1)} KB, API ${(bytes.api / 1024).toFixed(1)} KB); video metadata meanwhile ${(bytes.media / 1024).toFixed(1)} KB (excluded)`,
      );
      writeFileSync(join(RESULTS, 'player-bytes.json'), JSON.stringify({ ...bytes, files: files.sort((x, y) => y.bytes - x.bytes) }, null, 1));
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      await cdp.send('Network.setBypassServiceWorker', { bypass: false });
      const resumed = await page.evaluate(() => document.querySelector('[data-testid="video"]').currentTime);
      assert.ok(Math.abs(resumed - back.last_position_s) <= 1, `resumed at ${resumed} s (saved ${back.last_position_s} s)`);

      assert.deepEqual(await axe(page), [], 'axe on the player');
      assert.deepEqual(await smallTargets(page), [], 'small targets on the player');

      // 6. The rest of the video, then it completes from its played share.
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const v = document.querySelector('[data-testid="video"]');
            v.muted = true;
            v.addEventListener('ended', resolve, { once: true });
            v.play();
          }),
      );
      await page.locator('[data-testid="outline-lesson"][data-done="true"]').nth(1).waitFor({ state: 'attached' });
      let last;
      await waitFor(async () => (last = await videoRow()).completed_at, 'the video complete on the server').catch((e) => {
        throw new Error(e.message + ': ' + JSON.stringify(last));
      });

      // 7. The other lessons in order: optional links skipped, text and document marked done.
      for (;;) {
        await page.getByTestId('next-lesson').click();
        const kind = await lesson.getAttribute('data-kind');
        if (kind === 'quiz') break;
        if (kind === 'document') assert.match(await page.getByTestId('file-size').textContent(), /\d/);
        if (kind !== 'link') {
          await page.getByTestId('mark-done').click();
          await page.getByTestId('lesson-done').waitFor();
        }
      }
      const quizHref = await page.getByTestId('take-quiz').getAttribute('href');
      const quizId = Number(await lesson.getAttribute('data-lesson-id'));
      assert.equal(quizHref, `/kiem-tra/${quizId}?enrolment=${enrolmentId}`);

      // 8. The quiz through its screen, one question per screen, answered right from the frozen bank.
      const frozen = await apiGet(manager, `/lessons/${quizId}/quiz`);
      await page.getByTestId('take-quiz').click();
      await page.waitForURL((u) => u.pathname === `/kiem-tra/${quizId}`);
      await page.getByTestId('quiz-start').click();
      const heading = page.getByTestId('question-heading');
      await heading.waitFor();
      const count = Number((await heading.innerText()).match(/\/\s*(\d+)/)[1]);
      assert.ok(count >= 1, 'the quiz has questions');
      for (let i = 1; i <= count; i++) {
        await heading.filter({ hasText: new RegExp(`^\\s*Câu ${i} / ${count}\\s*$`) }).waitFor();
        const box = page.getByTestId('question');
        const prompt = (await box.locator('.prompt').innerText()).trim();
        const src = frozen.questions.find((x) => x.prompt_md.trim() === prompt);
        assert.ok(src, 'a question of the frozen bank: ' + prompt);
        if (src.kind === 'true_false') await box.getByText(src.answer_bool ? 'Đúng' : 'Sai', { exact: true }).click();
        else if (src.kind === 'numeric') await box.getByTestId('numeric-answer').fill(String(src.answer_num).replace('.', ','));
        else for (const c of src.correct) await box.locator('label.option', { hasText: src.options[c] }).click();
        if (i === 1) {
          assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)) <= 0, 'the question fits 360 px');
          await shot(page, 'learner-quiz-question-360');
        }
        await page.getByTestId(i < count ? 'quiz-next' : 'quiz-review').click();
      }
      await page.getByTestId('quiz-submit').click();
      const result = page.getByTestId('quiz-result');
      await result.waitFor();
      assert.equal(await result.getAttribute('data-passed'), 'true');
      assert.equal(await page.getByTestId('quiz-score').innerText(), '100%');
      await shot(page, 'learner-quiz-result-360');

      // Back to the player at the quiz lesson: done, the course finished.
      await page.locator('p.back a').click();
      await page.waitForURL((u) => u.pathname === `/hoc/${enrolmentId}`);
      await page.getByTestId('quiz-passed').waitFor();
      await page.getByTestId('course-finished').waitFor();

      // 9. My courses: 100%.
      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Khóa học của tôi' }).click();
      await page.waitForURL((u) => u.pathname === '/khoa-hoc-cua-toi');
      const card = page.locator(`[data-testid="my-course"][data-course-id="${courseId}"]`);
      await card.getByTestId('my-course-percent').filter({ hasText: '100%' }).waitFor();
      await shot(page, 'learner-my-courses-360');
      assert.deepEqual(await axe(page), [], 'axe on My courses');

      // My results: the quiz passed, 100% best and latest, one attempt, today's date.
      await page.getByTestId('my-results').click();
      await page.waitForURL((u) => u.pathname === '/ket-qua-cua-toi');
      const res = page.locator(`[data-testid="my-result"][data-lesson-id="${quizId}"]`);
      await res.getByTestId('result-passed').waitFor();
      assert.equal(await res.getByTestId('result-passed').getAttribute('data-passed'), 'true');
      assert.equal(await res.getByTestId('result-best').innerText(), '100%');
      assert.equal(await res.getByTestId('result-latest').innerText(), '100%');
      assert.match(await res.getByTestId('result-attempts').innerText(), /^1(\/\d+)?$/);
      assert.match(await res.getByTestId('result-date').innerText(), /\d{1,2}\/\d{1,2}\/\d{4}/);
      assert.match(await res.innerText(), new RegExp(TITLE));
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'My results fits 360 px');
      assert.deepEqual(await axe(page), [], 'axe on My results');
      assert.deepEqual(await smallTargets(page), [], 'small targets on My results');
      await shot(page, 'learner-my-results-360');
      await page.setViewportSize({ width: 320, height: 700 });
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'My results fits 320 px');
      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Khóa học của tôi' }).click();
      await page.waitForURL((u) => u.pathname === '/khoa-hoc-cua-toi');

      // The player fits 320 px.
      await card.getByTestId('continue').click();
      await page.getByTestId('course-finished').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling at 320 px');
      await shot(page, 'learner-player-320');

      // The data saver (remembered on the device): the video waits for the learner's go, its size shown first.
      await page.getByTestId('data-saver').check();
      const media = [];
      page.on('request', (r) => r.resourceType() === 'media' && media.push(r.url()));
      await page.goto(`/hoc/${enrolmentId}?bai=${videoId}`);
      const ask = page.getByTestId('load-video');
      assert.match(await ask.textContent(), /Tải video \(\d+(,\d+)? KB\)/);
      assert.equal(await page.getByTestId('video').count(), 0);
      assert.deepEqual(media, [], 'no video bytes before the learner asks');
      await ask.click();
      await page.getByTestId('video').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

/** Waits until check() holds (polling), failing with what was awaited. */
async function waitFor(check, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting for ' + what);
}
