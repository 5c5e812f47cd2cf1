// The attendance screen's link to the server: the mark queue (queue.ts) over
// IndexedDB, sent in the background when marks are made, when the browser
// says the connection is back, and again with a growing wait while the
// server cannot be reached; the cache of the week's sessions and rosters;
// and the state the screens show (marks waiting, last sync, conflicts).

import { api, resume, startedOffline } from '../../lib/session.svelte';
import { reportNetwork } from '../../lib/net.svelte';
import { AttendanceQueue, MemoryStore, type Batch, type BatchResult, type Conflict, type MarkStatus, type QueuedMark, type QueueStore, type Rejection } from './queue';
import { IdbStore, openDb } from './idb';
import type { components } from '../../lib/api.gen';

type S = components['schemas'];
export type SessionAttendance = S['SessionAttendance'];
export type Session = S['Session'];

/** Waits before each new try while the server cannot be reached (ms); the last repeats. */
export const BACKOFF = [2_000, 5_000, 15_000, 30_000, 60_000];
/** Marks made within this pause go in one batch. */
const SETTLE_MS = 700;

/** The device's name in the marks' history: a random id kept on the device. */
function deviceName(): string {
  let id = '';
  try {
    id = localStorage.getItem('densach.device') ?? '';
    if (!id) {
      id = Math.random().toString(36).slice(2, 10);
      localStorage.setItem('densach.device', id);
    }
  } catch {
    id = 'unknown';
  }
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent.match(/\(([^)]*)\)/)?.[1] ?? '';
  return `web ${id}${ua ? ' · ' + ua : ''}`.slice(0, 200);
}

class AttendanceSync {
  pending = $state(0);
  lastSync = $state<string | null>(null);
  conflicts = $state<Conflict[]>([]);
  rejections = $state<Rejection[]>([]);
  stalled = $state(false);
  sending = $state(false);
  /** Bumped whenever the queue or the cache changes (the screens read again). */
  revision = $state(0);

  private personId = 0;
  private store: QueueStore | null = null;
  private queue: AttendanceQueue | null = null;
  private ready: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private listening = false;

  /** Opens the person's queue (once per person) and sends what waits from an earlier visit. */
  start(personId: number): Promise<void> {
    if (this.personId === personId && this.ready) return this.ready;
    this.personId = personId;
    this.ready = (async () => {
      let store: QueueStore;
      try {
        store = new IdbStore(await openDb(personId));
      } catch {
        store = new MemoryStore();
      }
      this.store = store;
      this.queue = new AttendanceQueue(store, (id, rows, key) => this.post(id, rows, key), {
        hooks: { applied: (r) => this.applied(r), conflicted: (id) => this.refreshRoster(id).then(() => undefined) },
      });
      if (!this.listening && typeof window !== 'undefined') {
        this.listening = true;
        window.addEventListener('online', () => this.kick(0));
        document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && this.kick(0));
      }
      await this.refresh();
      this.kick(0);
    })();
    return this.ready;
  }

  private post(sessionId: number, rows: Batch['rows'], key: string): Promise<BatchResult> {
    return api.request<BatchResult>('POST', `/sessions/${sessionId}/attendance`, {
      json: { device: deviceName(), marks: rows.map((r) => ({ person_id: r.person_id, status: r.status, note: r.note, version: r.version })) },
      idempotencyKey: key,
    });
  }

  /** Reads the queue's state into the screens' state. */
  private async refresh(): Promise<void> {
    if (!this.queue) return;
    this.pending = (await this.queue.marks()).length;
    this.lastSync = await this.queue.lastSync();
    this.conflicts = await this.queue.conflicts();
    this.rejections = await this.queue.rejections();
    this.revision++;
  }

  /** Sends in `ms` (or at once); a newer call moves the time. */
  kick(ms = SETTLE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  /** Sends what waits now (one flush at a time, across the tabs where the browser can lock). */
  async flush(): Promise<void> {
    if (!this.queue) return;
    const queue = this.queue;
    // The browser knows it has no network: keep the marks (a newer tap still
    // replaces a waiting one) until its "online" event.
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.stalled = true;
      await this.refresh();
      return;
    }
    this.sending = true;
    try {
      // Started with no signal: the session is checked (a fresh token) before anything is sent.
      if (startedOffline()) await resume();
      const run = () => queue.flush();
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      const out = locks ? await locks.request(`densach-attendance-${this.personId}`, run) : await run();
      this.stalled = out.stalled;
      if (out.stalled) {
        reportNetwork(false);
        const wait = BACKOFF[Math.min(this.failures, BACKOFF.length - 1)];
        this.failures++;
        this.kick(wait);
      } else {
        this.failures = 0;
      }
    } finally {
      this.sending = false;
      await this.refresh();
    }
  }

  /** Queues a learner's mark and sends it shortly. */
  async mark(sessionId: number, personId: number, status: MarkStatus, note: string, baseVersion: number): Promise<void> {
    if (!this.queue) return;
    await this.queue.add({ session_id: sessionId, person_id: personId, status, note, base_version: baseVersion });
    await this.refresh();
    this.kick();
  }

  /** Queues many marks at once ("all present"). */
  async markAll(sessionId: number, rows: { person_id: number; status: MarkStatus; note: string; base_version: number }[]): Promise<void> {
    if (!this.queue) return;
    await this.queue.addAll(rows.map((r) => ({ session_id: sessionId, ...r })));
    await this.refresh();
    this.kick();
  }

  async waiting(sessionId: number): Promise<QueuedMark[]> {
    return this.queue ? this.queue.marks(sessionId) : [];
  }

  async resolve(id: string, keep: 'mine' | 'theirs'): Promise<void> {
    if (!this.queue) return;
    await this.queue.resolve(id, keep);
    await this.refresh();
    if (keep === 'mine') this.kick(0);
  }

  async dismiss(id: string): Promise<void> {
    await this.queue?.dismissRejection(id);
    await this.refresh();
  }

  // --- the cache of the week's sessions and rosters ---

  async cacheSessions(items: Session[]): Promise<void> {
    await this.store?.put('cache', 'sessions', { at: new Date().toISOString(), items });
  }

  async cachedSessions(): Promise<{ at: string; items: Session[] } | null> {
    return ((await this.store?.get('cache', 'sessions')) as { at: string; items: Session[] } | undefined) ?? null;
  }

  async cacheRoster(r: SessionAttendance): Promise<void> {
    await this.store?.put('cache', 'roster:' + r.session.id, { at: new Date().toISOString(), roster: r });
  }

  async cachedRoster(id: number): Promise<{ at: string; roster: SessionAttendance } | null> {
    return ((await this.store?.get('cache', 'roster:' + id)) as { at: string; roster: SessionAttendance } | undefined) ?? null;
  }

  /** Fetches a session's roster and keeps it; null when the server cannot be reached. */
  async refreshRoster(id: number): Promise<SessionAttendance | null> {
    try {
      const r = await api.get<SessionAttendance>(`/sessions/${id}/attendance`);
      r.items ??= [];
      await this.cacheRoster(r);
      this.revision++;
      return r;
    } catch {
      return null;
    }
  }

  /** Writes a batch's answer into the cached roster (the marks as they now stand). */
  private async applied(result: BatchResult): Promise<void> {
    const cached = await this.cachedRoster(result.session_id);
    if (!cached) return;
    const byPerson = new Map(result.marks.map((m) => [m.person_id, m]));
    for (const e of cached.roster.items) {
      const m = byPerson.get(e.person_id);
      if (m) e.mark = m;
    }
    await this.cacheRoster(cached.roster);
  }
}

export const attendanceSync = new AttendanceSync();
