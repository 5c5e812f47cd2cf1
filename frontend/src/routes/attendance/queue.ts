// The teacher's attendance marks on their way to the server, kept on the
// device (IndexedDB in the app, memory in tests) so that no mark is lost
// with no signal, a closed tab or a reload.
//
// Each mark has a client id (a second add of the same id is ignored) and
// the version of the learner's mark the teacher saw. Marks go in batches,
// one session at a time and in the order they were made; a batch is written
// down with its Idempotency-Key before it is sent and is sent again, with the
// same key and the same rows, until the server has answered it, so that a
// lost answer (the server restarted mid-batch, the connection dropped) never
// applies it twice. A newer tap on a learner whose earlier mark is still
// waiting replaces it; once a batch is answered, the marks made after it on
// the same learners take the version it produced. A batch refused because
// someone else changed a mark meanwhile (409 attendance_conflict) keeps the
// other rows for the next batch and turns each named row into a conflict for
// the teacher to settle: keep the current mark, or apply theirs again on top
// of the current version.

import { ApiError } from '../../lib/errors';
import type { components } from '../../lib/api.gen';

type S = components['schemas'];
export type MarkStatus = S['AttendanceMarkInput']['status'];
export type BatchResult = S['AttendanceBatchResult'];
export type ServerMark = S['AttendanceMark'];

export const STATUSES: readonly MarkStatus[] = ['present', 'late', 'excused', 'absent'];

/** A mark made on this device, not yet accepted by the server. */
export interface QueuedMark {
  client_id: string;
  session_id: number;
  person_id: number;
  status: MarkStatus;
  note: string;
  /** The version of the server's mark it replaces (0: unmarked). */
  base_version: number;
  /** Order of making on this device. */
  seq: number;
  made_at: string;
}

/** A batch written down before it is sent: the same key and rows on every resend. */
export interface Batch {
  key: string;
  session_id: number;
  seq: number;
  client_ids: string[];
  rows: { person_id: number; status: MarkStatus; note: string; version: number }[];
}

/** A mark someone else changed while the teacher's was waiting. */
export interface Conflict {
  /** session:person */
  id: string;
  session_id: number;
  person_id: number;
  mine: { status: MarkStatus; note: string };
  current: { status: MarkStatus; note: string; version: number; marked_by: number | null; marked_at: string; device: string; source: string };
}

/** A batch the server refused for good (the session was cancelled, a learner left the class…). */
export interface Rejection {
  id: string;
  session_id: number;
  count: number;
  error: { status: number; key: string; message: string; params: Record<string, unknown> };
  at: string;
}

export type StoreName = 'marks' | 'batches' | 'conflicts' | 'rejections' | 'meta' | 'cache';

/** Where the queue keeps its records (each store keyed by the record's id). */
export interface QueueStore {
  all<T>(store: StoreName): Promise<T[]>;
  get<T>(store: StoreName, key: string): Promise<T | undefined>;
  put(store: StoreName, key: string, value: unknown): Promise<void>;
  del(store: StoreName, keys: string[]): Promise<void>;
}

/** A store in memory (tests; a device that refuses IndexedDB keeps its marks for the visit). */
export class MemoryStore implements QueueStore {
  private data = new Map<StoreName, Map<string, unknown>>();
  private of(s: StoreName): Map<string, unknown> {
    let m = this.data.get(s);
    if (!m) this.data.set(s, (m = new Map()));
    return m;
  }
  async all<T>(s: StoreName): Promise<T[]> {
    return [...this.of(s).values()].map((v) => structuredClone(v) as T);
  }
  async get<T>(s: StoreName, key: string): Promise<T | undefined> {
    const v = this.of(s).get(key);
    return v === undefined ? undefined : (structuredClone(v) as T);
  }
  async put(s: StoreName, key: string, value: unknown): Promise<void> {
    this.of(s).set(key, structuredClone(value));
  }
  async del(s: StoreName, keys: string[]): Promise<void> {
    for (const k of keys) this.of(s).delete(k);
  }
}

/** A mark as the screen makes it. */
export interface NewMark {
  session_id: number;
  person_id: number;
  status: MarkStatus;
  note?: string;
  base_version: number;
  client_id?: string;
}

/** Sends one batch of a session with its Idempotency-Key; throws ApiError. */
export type PostBatch = (sessionId: number, rows: Batch['rows'], key: string) => Promise<BatchResult>;

export interface QueueHooks {
  /** A batch was applied: the marks as they now stand. */
  applied?: (result: BatchResult) => void | Promise<void>;
  /** A batch was refused for stale rows (the conflicts were recorded). */
  conflicted?: (sessionId: number, conflicts: Conflict[]) => void | Promise<void>;
}

/** The server's largest batch. */
const BATCH = 500;

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Whether an error means "try again later" (no connection, server down, signed out for a moment, too many requests). */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  return e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 408 || e.status === 429;
}

export interface FlushOutcome {
  sent: number;
  conflicts: number;
  rejected: number;
  /** Stopped for lack of a connection (or a transient server error); what waits is kept. */
  stalled: boolean;
}

export class AttendanceQueue {
  private readonly store: QueueStore;
  private readonly post: PostBatch;
  private readonly hooks: QueueHooks;
  private readonly now: () => Date;
  private sending: Promise<FlushOutcome> | null = null;
  /** Changes to the waiting marks run one after another, in the order they were asked for. */
  private chain: Promise<unknown> = Promise.resolve();

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  constructor(store: QueueStore, post: PostBatch, opts: { hooks?: QueueHooks; now?: () => Date } = {}) {
    this.store = store;
    this.post = post;
    this.hooks = opts.hooks ?? {};
    this.now = opts.now ?? (() => new Date());
  }

  /** The marks waiting, in the order they were made. */
  async marks(sessionId?: number): Promise<QueuedMark[]> {
    const all = await this.store.all<QueuedMark>('marks');
    return all.filter((m) => sessionId === undefined || m.session_id === sessionId).sort((a, b) => a.seq - b.seq);
  }

  async conflicts(sessionId?: number): Promise<Conflict[]> {
    const all = await this.store.all<Conflict>('conflicts');
    return all.filter((c) => sessionId === undefined || c.session_id === sessionId);
  }

  async rejections(): Promise<Rejection[]> {
    return (await this.store.all<Rejection>('rejections')).sort((a, b) => a.at.localeCompare(b.at));
  }

  async dismissRejection(id: string): Promise<void> {
    await this.store.del('rejections', [id]);
  }

  /** When the server last accepted a batch (RFC 3339), or null. */
  async lastSync(): Promise<string | null> {
    return (await this.store.get<string>('meta', 'last_sync')) ?? null;
  }

  private async nextSeq(): Promise<number> {
    const n = ((await this.store.get<number>('meta', 'seq')) ?? 0) + 1;
    await this.store.put('meta', 'seq', n);
    return n;
  }

  /**
   * Keeps a mark until the server has it. A client id already kept is
   * ignored; a waiting mark of the same learner that is not in a batch yet
   * is replaced (the replacement keeps the version that one was based on).
   * Answers the kept mark.
   */
  add(m: NewMark): Promise<QueuedMark> {
    return this.serial(() => this.addNow(m));
  }

  /** Keeps several marks as one change (no other change comes between them: "all present" then an exception). */
  addAll(list: NewMark[]): Promise<QueuedMark[]> {
    return this.serial(async () => {
      const out: QueuedMark[] = [];
      for (const m of list) out.push(await this.addNow(m));
      return out;
    });
  }

  private async addNow(m: NewMark): Promise<QueuedMark> {
    const clientId = m.client_id ?? uuid();
    const known = await this.store.get<QueuedMark>('marks', clientId);
    if (known) return known;
    const inBatch = await this.batchedIds();
    const same = (await this.marks(m.session_id)).filter((q) => q.person_id === m.person_id && !inBatch.has(q.client_id));
    const mark: QueuedMark = {
      client_id: clientId,
      session_id: m.session_id,
      person_id: m.person_id,
      status: m.status,
      note: (m.note ?? '').normalize('NFC').trim(),
      base_version: same.length ? same[0].base_version : m.base_version,
      seq: await this.nextSeq(),
      made_at: this.now().toISOString(),
    };
    await this.store.put('marks', clientId, mark);
    if (same.length) await this.store.del('marks', same.map((q) => q.client_id));
    return mark;
  }

  private async batchedIds(): Promise<Set<string>> {
    const batches = await this.store.all<Batch>('batches');
    return new Set(batches.flatMap((b) => b.client_ids));
  }

  /** The batch to send next: the oldest written down, else a new one from the oldest waiting session. */
  private async nextBatch(): Promise<Batch | null> {
    const batches = (await this.store.all<Batch>('batches')).sort((a, b) => a.seq - b.seq);
    if (batches.length) return batches[0];
    const waiting = await this.marks();
    if (!waiting.length) return null;
    const sessionId = waiting[0].session_id;
    const rows = waiting.filter((m) => m.session_id === sessionId).slice(0, BATCH);
    const batch: Batch = {
      key: uuid(),
      session_id: sessionId,
      seq: await this.nextSeq(),
      client_ids: rows.map((m) => m.client_id),
      rows: rows.map((m) => ({ person_id: m.person_id, status: m.status, note: m.note, version: m.base_version })),
    };
    await this.store.put('batches', batch.key, batch);
    return batch;
  }

  /** Sends what waits, batch by batch (one flush at a time; a second call joins the running one). */
  flush(): Promise<FlushOutcome> {
    this.sending ??= this.drain().finally(() => (this.sending = null));
    return this.sending;
  }

  private async drain(): Promise<FlushOutcome> {
    const out: FlushOutcome = { sent: 0, conflicts: 0, rejected: 0, stalled: false };
    for (;;) {
      const batch = await this.nextBatch();
      if (!batch) return out;
      let result: BatchResult;
      try {
        result = await this.post(batch.session_id, batch.rows, batch.key);
      } catch (e) {
        if (isTransient(e)) {
          out.stalled = true;
          return out;
        }
        const err = e as ApiError;
        if (err.status === 409 && err.key === 'attendance_conflict') {
          out.conflicts += await this.conflicted(batch, err);
        } else {
          out.rejected += batch.rows.length;
          await this.rejected(batch, err);
        }
        continue;
      }
      await this.applied(batch, result);
      out.sent += batch.rows.length;
    }
  }

  private async applied(batch: Batch, result: BatchResult): Promise<void> {
    // The marks made after this batch on the same learners now stand on the version it produced.
    const versions = new Map(result.marks.map((m) => [m.person_id, m.version]));
    const sent = new Set(batch.client_ids);
    for (const m of await this.marks(batch.session_id)) {
      if (sent.has(m.client_id)) continue;
      const v = versions.get(m.person_id);
      if (v !== undefined && v !== m.base_version) await this.store.put('marks', m.client_id, { ...m, base_version: v });
    }
    await this.store.del('marks', batch.client_ids);
    await this.store.del('batches', [batch.key]);
    await this.store.put('meta', 'last_sync', this.now().toISOString());
    await this.hooks.applied?.(result);
  }

  private async conflicted(batch: Batch, err: ApiError): Promise<number> {
    const marks = typeof err.detail === 'object' && err.detail !== null ? (err.detail as { marks?: unknown }).marks : undefined;
    const named = Array.isArray(marks) ? (marks as Record<string, unknown>[]) : [];
    const list: Conflict[] = [];
    const people = new Set<number>();
    for (const c of named) {
      const byRow = typeof c.row === 'number' ? batch.rows[c.row] : undefined;
      const personId = Number(c.person_id ?? byRow?.person_id);
      const row = byRow && byRow.person_id === personId ? byRow : batch.rows.find((r) => r.person_id === personId);
      if (!personId || !row) continue;
      people.add(personId);
      // The teacher's latest word on this learner (a later tap may wait behind the batch).
      const latest = (await this.marks(batch.session_id)).filter((m) => m.person_id === personId).at(-1);
      list.push({
        id: `${batch.session_id}:${personId}`,
        session_id: batch.session_id,
        person_id: personId,
        mine: latest ? { status: latest.status, note: latest.note } : { status: row.status, note: row.note },
        current: {
          status: c.status as MarkStatus,
          note: String(c.note ?? ''),
          version: Number(c.version ?? 0),
          marked_by: typeof c.marked_by === 'number' ? c.marked_by : null,
          marked_at: String(c.marked_at ?? ''),
          device: String(c.device ?? ''),
          source: String(c.source ?? ''),
        },
      });
    }
    if (!list.length) {
      // A conflict that names nobody cannot be settled row by row: keep it as a refusal.
      await this.rejected(batch, err);
      return 0;
    }
    // The conflicting learners' waiting marks become the conflicts; the batch's other rows wait for the next batch.
    const drop = (await this.marks(batch.session_id)).filter((m) => people.has(m.person_id)).map((m) => m.client_id);
    await this.store.del('marks', drop);
    for (const c of list) await this.store.put('conflicts', c.id, c);
    await this.store.del('batches', [batch.key]);
    await this.hooks.conflicted?.(batch.session_id, list);
    return list.length;
  }

  private async rejected(batch: Batch, err: ApiError): Promise<void> {
    const r: Rejection = {
      id: batch.key,
      session_id: batch.session_id,
      count: batch.rows.length,
      error: { status: err.status, key: err.key ?? '', message: err.message, params: { ...(err.params ?? {}) } },
      at: this.now().toISOString(),
    };
    await this.store.put('rejections', r.id, r);
    await this.store.del('marks', batch.client_ids);
    await this.store.del('batches', [batch.key]);
  }

  /**
   * Settles a conflict: "mine" applies the teacher's mark again on top of
   * the current version (a new mark, sent with the next flush); "theirs"
   * keeps the current mark.
   */
  resolve(conflictId: string, keep: 'mine' | 'theirs'): Promise<void> {
    return this.serial(() => this.resolveNow(conflictId, keep));
  }

  private async resolveNow(conflictId: string, keep: 'mine' | 'theirs'): Promise<void> {
    const c = await this.store.get<Conflict>('conflicts', conflictId);
    if (!c) return;
    if (keep === 'mine') {
      await this.addNow({ session_id: c.session_id, person_id: c.person_id, status: c.mine.status, note: c.mine.note, base_version: c.current.version });
    }
    await this.store.del('conflicts', [conflictId]);
  }
}
