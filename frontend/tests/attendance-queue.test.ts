// The teacher's attendance queue (routes/attendance/queue.ts) against a fake
// server with the real endpoint's rules (POST /sessions/{id}/attendance:
// all or nothing, a version per mark, a row equal to the current mark
// changes nothing, the first answer replayed for a known Idempotency-Key):
// batches in the order marks were made, one key per batch kept across
// resends, dedupe by client id, replays after a restart mid-batch applying
// once, and conflicts settled either way.
import { describe, expect, it } from 'vitest';
import { AttendanceQueue, MemoryStore, type Batch, type BatchResult, type MarkStatus } from '../src/routes/attendance/queue';
import { ApiError, errorFromResponse, networkError } from '../src/lib/errors';

type Cur = { status: MarkStatus; note: string; version: number; marked_by: number };

class FakeServer {
  /** session -> person -> mark */
  marks = new Map<number, Map<number, Cur>>();
  /** Every change, as the history keeps it. */
  events: { session: number; person: number; from: string | null; to: string; by: number }[] = [];
  answers = new Map<string, { ok: true; body: BatchResult } | { ok: false; err: ApiError }>();
  requests: { session: number; key: string; rows: Batch['rows'] }[] = [];
  /** The next n batches are committed, then the server dies before answering. */
  crashAfterCommit = 0;
  down = false;
  /** Called before a request is handled (lets a test act while a batch is in flight). */
  before: (() => Promise<void>) | null = null;

  of(session: number): Map<number, Cur> {
    let m = this.marks.get(session);
    if (!m) this.marks.set(session, (m = new Map()));
    return m;
  }

  /** Someone else (person 99) marks a learner directly. */
  markAsOther(session: number, person: number, status: MarkStatus) {
    const m = this.of(session);
    const cur = m.get(person);
    m.set(person, { status, note: '', version: (cur?.version ?? 0) + 1, marked_by: 99 });
    this.events.push({ session, person, from: cur?.status ?? null, to: status, by: 99 });
  }

  post = async (session: number, rows: Batch['rows'], key: string): Promise<BatchResult> => {
    this.requests.push({ session, key, rows: structuredClone(rows) });
    if (this.before) await this.before();
    if (this.down) throw networkError();
    const known = this.answers.get(key);
    if (known) {
      if (known.ok) return structuredClone(known.body);
      throw known.err;
    }
    if (rows.some((r) => !['present', 'late', 'excused', 'absent'].includes(r.status))) {
      throw new ApiError(422, 'invalid', 'bad status', [], '', null, 'attendance_status_invalid', {});
    }
    const m = this.of(session);
    const conflicts = rows.flatMap((r, row) => {
      const cur = m.get(r.person_id);
      if (!cur || cur.version === r.version || (cur.status === r.status && cur.note === r.note)) return [];
      return [{ row, person_id: r.person_id, status: cur.status, note: cur.note, version: cur.version, source: 'manual', marked_by: cur.marked_by, marked_at: '2026-12-01T10:00:00+07:00', device: 'other' }];
    });
    if (conflicts.length) {
      const err = new ApiError(409, 'conflict', '', [], '', null, 'attendance_conflict', { count: conflicts.length }, { count: conflicts.length, marks: conflicts });
      this.answers.set(key, { ok: false, err });
      throw err;
    }
    let changed = 0;
    for (const r of rows) {
      const cur = m.get(r.person_id);
      if (cur && cur.status === r.status && cur.note === r.note) continue;
      m.set(r.person_id, { status: r.status, note: r.note, version: (cur?.version ?? 0) + 1, marked_by: 5 });
      this.events.push({ session, person: r.person_id, from: cur?.status ?? null, to: r.status, by: 5 });
      changed++;
    }
    const body = {
      session_id: session,
      changed,
      marks: rows.map((r) => {
        const c = m.get(r.person_id)!;
        return { session_id: session, enrolment_id: r.person_id, person_id: r.person_id, status: c.status, note: c.note, source: 'manual', version: c.version, marked_by: c.marked_by, marked_by_name: '', marked_at: '', device: '' };
      }),
    } as BatchResult;
    this.answers.set(key, { ok: true, body });
    if (this.crashAfterCommit > 0) {
      this.crashAfterCommit--;
      throw networkError();
    }
    return structuredClone(body);
  };

  state(session: number): Record<number, string> {
    return Object.fromEntries([...this.of(session)].map(([p, c]) => [p, `${c.status}@${c.version}`]));
  }
}

const mark = (session: number, person: number, status: MarkStatus, base = 0, client_id?: string) => ({ session_id: session, person_id: person, status, base_version: base, client_id });

/** Every permutation of a list. */
function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('AttendanceQueue', () => {
  it('sends one batch per session in the order the marks were made, each with its own idempotency key', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'present'));
    await q.add(mark(8, 1, 'absent'));
    await q.add(mark(7, 2, 'late'));
    expect((await q.marks()).map((m) => [m.session_id, m.person_id])).toEqual([[7, 1], [8, 1], [7, 2]]);
    const out = await q.flush();
    expect(out).toEqual({ sent: 3, conflicts: 0, rejected: 0, stalled: false });
    expect(server.requests.map((r) => [r.session, r.rows.map((x) => x.person_id)])).toEqual([[7, [1, 2]], [8, [1]]]);
    expect(new Set(server.requests.map((r) => r.key)).size).toBe(2);
    expect(server.state(7)).toEqual({ 1: 'present@1', 2: 'late@1' });
    expect(await q.marks()).toEqual([]);
    expect(await q.lastSync()).not.toBeNull();
  });

  it('ignores a mark whose client id it already keeps, and a later tap replaces a waiting one', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'present', 0, 'c-1'));
    await q.add(mark(7, 1, 'absent', 0, 'c-1')); // the same mark again (another tab, a replay)
    expect((await q.marks()).map((m) => [m.client_id, m.status])).toEqual([['c-1', 'present']]);
    await q.add(mark(7, 1, 'late', 0, 'c-2')); // the teacher changed their mind before it was sent
    expect((await q.marks()).map((m) => [m.client_id, m.status])).toEqual([['c-2', 'late']]);
    await q.flush();
    expect(server.events).toEqual([{ session: 7, person: 1, from: null, to: 'late', by: 5 }]);
  });

  it('keeps the batch and its key while offline and sends the same rows with the same key when back', async () => {
    const server = new FakeServer();
    const store = new MemoryStore();
    server.down = true;
    const q = new AttendanceQueue(store, server.post);
    await q.add(mark(7, 1, 'present'));
    await q.add(mark(7, 2, 'absent'));
    expect((await q.flush()).stalled).toBe(true);
    expect((await q.flush()).stalled).toBe(true);
    // A mark made meanwhile does not join the written-down batch (its key would then name another body).
    await q.add(mark(7, 3, 'present'));
    expect(await q.marks()).toHaveLength(3);
    server.down = false;
    // After a reload: a new queue over the same store.
    const again = new AttendanceQueue(store, server.post);
    expect(await again.flush()).toEqual({ sent: 3, conflicts: 0, rejected: 0, stalled: false });
    const [a, b, c, d] = server.requests;
    expect(a.key).toBe(b.key);
    expect(c.key).toBe(a.key);
    expect(c.rows).toEqual(a.rows);
    expect(d.key).not.toBe(a.key);
    expect(d.rows.map((r) => r.person_id)).toEqual([3]);
    expect(server.events).toHaveLength(3);
  });

  for (const order of permutations([0, 1, 2])) {
    it(`replayed three times (order ${order.join(',')}) after the server restarted mid-batch, the marks apply once`, async () => {
      const server = new FakeServer();
      const store = new MemoryStore();
      const first = new AttendanceQueue(store, server.post);
      for (const [p, st] of [[1, 'present'], [2, 'late'], [3, 'absent']] as const) await first.add(mark(7, p, st));
      server.crashAfterCommit = 1; // committed, answer lost
      expect((await first.flush()).stalled).toBe(true);
      expect(server.events).toHaveLength(3);
      // Three replays: three tabs or reloads over the same phone's queue, in this order, the last two at once.
      const queues = [0, 1, 2].map(() => new AttendanceQueue(store, server.post));
      await queues[order[0]].flush();
      await Promise.all([queues[order[1]].flush(), queues[order[2]].flush()]);
      expect(server.events).toHaveLength(3);
      expect(server.state(7)).toEqual({ 1: 'present@1', 2: 'late@1', 3: 'absent@1' });
      expect(new Set(server.requests.map((r) => r.key)).size).toBe(1);
      expect(await first.marks()).toEqual([]);
    });
  }

  it('a batch replayed with a fresh key (its key lost) changes nothing: equal rows are no change', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'present'));
    await q.flush();
    await q.add(mark(7, 1, 'present', 0)); // the same mark made again on the stale version
    await q.flush();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].key).not.toBe(server.requests[1].key);
    expect(server.events).toHaveLength(1);
    expect(await q.conflicts()).toEqual([]);
  });

  it('a mark made while its learner’s batch is in flight is sent on the version that batch produced (no conflict with oneself)', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'present'));
    let once = true;
    server.before = async () => {
      if (!once) return;
      once = false;
      await q.add(mark(7, 1, 'late', 0));
    };
    await q.flush();
    expect(server.requests.map((r) => r.rows)).toEqual([
      [{ person_id: 1, status: 'present', note: '', version: 0 }],
      [{ person_id: 1, status: 'late', note: '', version: 1 }],
    ]);
    expect(server.state(7)).toEqual({ 1: 'late@2' });
    expect(await q.conflicts()).toEqual([]);
  });

  it('a conflict keeps the other rows for the next batch and is settled by applying mine again on the fresh version', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'present'));
    await q.add(mark(7, 2, 'present'));
    server.markAsOther(7, 1, 'absent'); // another teacher, meanwhile
    const out = await q.flush();
    expect(out).toEqual({ sent: 1, conflicts: 1, rejected: 0, stalled: false });
    expect(server.state(7)).toEqual({ 1: 'absent@1', 2: 'present@1' });
    const [c] = await q.conflicts(7);
    expect(c).toMatchObject({ id: '7:1', person_id: 1, mine: { status: 'present' }, current: { status: 'absent', version: 1, marked_by: 99 } });
    expect(server.requests[0].key).not.toBe(server.requests[1].key); // the other rows went with a new key
    await q.resolve(c.id, 'mine');
    expect((await q.marks())[0]).toMatchObject({ person_id: 1, status: 'present', base_version: 1 });
    await q.flush();
    expect(server.state(7)).toEqual({ 1: 'present@2', 2: 'present@1' });
    expect(await q.conflicts()).toEqual([]);
  });

  it('a conflict settled by keeping the current mark sends nothing more', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'present'));
    server.markAsOther(7, 1, 'excused');
    await q.flush();
    const [c] = await q.conflicts();
    await q.resolve(c.id, 'theirs');
    await q.flush();
    expect(await q.marks()).toEqual([]);
    expect(await q.conflicts()).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(server.state(7)).toEqual({ 1: 'excused@1' });
  });

  it('a batch refused for good (422) is set aside with the reason; later batches still go', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    await q.add(mark(7, 1, 'bogus' as MarkStatus));
    await q.add(mark(8, 1, 'present'));
    const out = await q.flush();
    expect(out).toEqual({ sent: 1, conflicts: 0, rejected: 1, stalled: false });
    const [r] = await q.rejections();
    expect(r).toMatchObject({ session_id: 7, count: 1, error: { status: 422, key: 'attendance_status_invalid' } });
    await q.dismissRejection(r.id);
    expect(await q.rejections()).toEqual([]);
    expect(server.state(8)).toEqual({ 1: 'present@1' });
  });

  it('reads the conflicting marks from the server’s real 409 body (params.marks kept through the API client)', async () => {
    const body = {
      code: 'conflict',
      key: 'attendance_conflict',
      message: '1 điểm danh đã được người khác sửa',
      params: { count: 1, marks: [{ row: 1, person_id: 12, status: 'absent', note: 'ốm', version: 3, source: 'manual', marked_by: 4, marked_at: '2026-12-01T08:10:00+07:00', device: 'web x' }] },
    };
    const err = await errorFromResponse(new Response(JSON.stringify(body), { status: 409, headers: { 'Content-Type': 'application/json' } }));
    const store = new MemoryStore();
    const sent: Batch['rows'][] = [];
    const q = new AttendanceQueue(store, async (session, rows) => {
      sent.push(rows);
      if (sent.length === 1) throw err;
      return { session_id: session, changed: rows.length, marks: [] };
    });
    await q.add(mark(7, 11, 'present', 2));
    await q.add(mark(7, 12, 'late', 2));
    expect(await q.flush()).toEqual({ sent: 1, conflicts: 1, rejected: 0, stalled: false });
    const [c] = await q.conflicts();
    expect(c).toMatchObject({ person_id: 12, mine: { status: 'late' }, current: { status: 'absent', note: 'ốm', version: 3, marked_by: 4 } });
    // Learner 11's mark went in the next batch, alone.
    expect(sent.map((rows) => rows.map((r) => r.person_id))).toEqual([[11, 12], [11]]);
    expect(await q.marks()).toEqual([]);
  });

  it('“all present” and an exception tapped right after it apply in that order (the later tap wins)', async () => {
    const server = new FakeServer();
    const q = new AttendanceQueue(new MemoryStore(), server.post);
    // Not awaited in between: the second tap comes while the first change is still being written.
    const all = q.addAll([1, 2, 3].map((p) => mark(7, p, 'present')));
    const late = q.add(mark(7, 2, 'late'));
    await Promise.all([all, late]);
    expect((await q.marks()).map((m) => [m.person_id, m.status])).toEqual([[1, 'present'], [3, 'present'], [2, 'late']]);
    await q.flush();
    expect(server.state(7)).toEqual({ 1: 'present@1', 2: 'late@1', 3: 'present@1' });
    expect(server.events).toHaveLength(3);
  });
});
