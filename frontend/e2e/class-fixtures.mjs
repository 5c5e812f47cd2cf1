// Test data for the class screens' browser tests, made through the API as the
// demo manager of Tân Phong: a venue, a class of the published demo course
// taught by the demo teacher, open for enrolment, and its sessions. Times are
// Vietnam's; every class has its own title so that reruns on the same data
// never mix up classes.
import { BASE_URL, DEMO, apiGet, apiToken, uniquePhone } from './helpers.mjs';
import { vnAt, vnDate } from './vnclock.mjs';

export const COURSE = 'Kỹ năng số cơ bản cho người dân';

/** Sends a JSON request; answers { status, body } (body parsed when JSON). */
export async function apiSend(token, method, path, body) {
  const res = await fetch(BASE_URL + '/api/v1' + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

async function must(token, method, path, body, expect = [200, 201]) {
  const r = await apiSend(token, method, path, body);
  if (!expect.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export { vnAt, vnDate, vnMonday } from './vnclock.mjs';

/** Letters only (names refuse digits): a tag from the clock, spelled as letters. */
export function tag() {
  return String(Date.now() % 1_000_000).replace(/\d/g, (d) => 'abcdeghikl'[d]);
}

/** The demo manager's token, centre, the published demo course and the demo teacher's id. */
export async function world() {
  const manager = await apiToken(DEMO.manager);
  const me = await apiGet(manager, '/me');
  const centreId = me.roles.find((g) => g.role === 'manager').centre_id;
  const found = await apiGet(manager, '/courses?q=' + encodeURIComponent(COURSE));
  const course = found.items.find((c) => c.title === COURSE);
  if (!course) throw new Error('the demo course is missing');
  const teacherToken = await apiToken(DEMO.teacher);
  const teacherId = (await apiGet(teacherToken, '/me')).person.id;
  const learnerToken = await apiToken(DEMO.learner);
  const learnerId = (await apiGet(learnerToken, '/me')).person.id;
  return { manager, centreId, courseId: course.id, teacherId, teacherToken, learnerToken, learnerId, communeId: me.person.commune_id };
}

/**
 * A class at the manager's centre, open for enrolment from yesterday to a
 * week ahead, with a venue of its own, the demo teacher (unless teacher is
 * false: a teacher is never double-booked; or another teacher's person id),
 * and the sessions given as [{ date, from, to, mode? }] (hh:mm in Vietnam) or
 * [{ date, startsAt, endsAt, mode? }] (instants).
 */
export async function openClass(w, { title, capacity = 20, mode = 'blended', sessions = [], meetingUrl = 'https://meet.jit.si/densach-e2e-lop', teacher = true }) {
  const teacherId = teacher === true ? w.teacherId : teacher || 0;
  const venue = await must(w.manager, 'POST', '/venues', { centre_id: w.centreId, name: `Phòng học ${title}`, address: 'Tổ dân phố số 2, phường Tân Phong', capacity: 40 });
  const dates = sessions.map((s) => s.date).sort();
  const startsOn = [vnDate(0), ...dates].sort()[0];
  const endsOn = [vnDate(14), ...dates].sort().at(-1);
  const body = {
    centre_id: w.centreId,
    course_id: w.courseId,
    title,
    mode,
    venue_id: venue.id,
    capacity,
    enrol_from: vnDate(-1),
    enrol_until: vnDate(7),
    starts_on: startsOn,
    ends_on: endsOn,
    meeting_url: meetingUrl,
    teacher_ids: teacherId ? [teacherId] : [],
  };
  const created = await must(w.manager, 'POST', '/classes', body);
  await must(w.manager, 'PUT', `/classes/${created.id}`, { ...body, centre_id: undefined, course_id: undefined, status: 'open' });
  const made = [];
  for (const s of sessions) {
    made.push(
      await must(w.manager, 'POST', `/classes/${created.id}/sessions`, {
        starts_at: s.startsAt ?? vnAt(s.date, s.from),
        ends_at: s.endsAt ?? vnAt(s.date, s.to),
        mode: s.mode ?? 'in_person',
        teacher_id: teacherId,
      }),
    );
  }
  return { id: created.id, title, venue, sessions: made };
}

/** Cancels a session with a reason. */
export const cancelSession = (w, id, reason) => must(w.manager, 'POST', `/sessions/${id}/cancel`, { reason });

/** A new person of the manager's commune (a learner to fill a class with). */
export async function newPerson(w, name) {
  return must(w.manager, 'POST', '/people', { full_name: name, birth_year: 1990, commune_id: w.communeId });
}

/** Enrols a person in a class as the manager. */
export const enrolAs = (w, classId, personId) => must(w.manager, 'POST', `/classes/${classId}/enrolments`, { person_id: personId });

/** Changes a class's enrolment window (the manager's PUT takes the whole class). */
export async function setWindow(w, classId, from, until) {
  const c = await apiGet(w.manager, `/classes/${classId}`);
  const body = { title: c.title, mode: c.mode, venue_id: c.venue_id, capacity: c.capacity, enrol_from: from, enrol_until: until, starts_on: c.starts_on, ends_on: c.ends_on, completion_pct: c.completion_pct, meeting_url: c.meeting_url, teacher_ids: c.teachers.map((t) => t.person_id ?? t.id) };
  return must(w.manager, 'PUT', `/classes/${classId}`, body);
}

/** Enrols the demo learner themself through the API (as from another device). */
export const selfEnrol = (w, classId) => apiSend(w.learnerToken, 'POST', `/classes/${classId}/enrolments`, {});

/** The learner's live class enrolments. */
export const myClasses = async (w) => (await apiGet(w.learnerToken, '/me/classes')).items ?? [];

/** Withdraws an enrolment as the learner. */
export const withdraw = (w, enrolmentId, reason = '') => apiSend(w.learnerToken, 'POST', `/enrolments/${enrolmentId}/withdraw`, reason ? { reason } : {});

/**
 * A teacher of the manager's centre of their own (a new person with an
 * account and a password already changed), for a spec that needs a teacher
 * free at any hour: the demo teacher has classes on weekday mornings and
 * evenings, and other specs book them too. Answers { id, account, token }
 * (account as in DEMO, for signIn).
 */
export async function newTeacher(w, name = `Giáo viên ${tag()}`) {
  const phone = uniquePhone();
  const p = await must(w.manager, 'POST', '/people', { full_name: name, birth_year: 1985, commune_id: w.communeId, phone });
  await must(w.manager, 'POST', `/people/${p.id}/roles`, { role: 'teacher', centre_id: w.centreId });
  const first = `Lan-${crypto.randomUUID()}`;
  await must(w.manager, 'POST', `/people/${p.id}/account`, { password: first }, [204]);
  // The first sign-in must change the password: done here, so that the browser lands on the teacher's home.
  const account = { login: phone, password: `Day-${crypto.randomUUID()}`, home: '/giao-vien' };
  await must(await apiToken({ login: phone, password: first }), 'POST', '/auth/password', { current_password: first, new_password: account.password }, [204]);
  return { id: p.id, account, token: await apiToken(account) };
}
