// The player's progress events on their way to the server. Every event is
// written to localStorage first and sent from there in batches
// (POST /enrolments/{id}/progress, up to 500 at once), so a dropped
// connection, a closed tab or a reload loses nothing: what is left is sent
// the next time the player runs and the device is online. Sending a batch
// twice is harmless: the server merges idempotently and monotonically.

import { ApiError } from '../../lib/errors';
import type { components } from '../../lib/api.gen';

export type ProgressEvent = components['schemas']['ProgressEvent'];
export type LessonProgress = components['schemas']['LessonProgress'];

const PREFIX = 'densach.progress.';
/** The server's largest batch. */
const BATCH = 500;
/** Kept on the device at most (the oldest heartbeats go first beyond it). */
const KEEP = 5000;

function read(key: string): ProgressEvent[] {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    const v = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

function write(key: string, events: ProgressEvent[]): void {
  try {
    if (events.length) globalThis.localStorage?.setItem(key, JSON.stringify(events));
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // storage full or refused: the events stay in memory for this visit
  }
}

const id = (e: ProgressEvent) => `${e.seq}@${e.at}`;

type Post = (events: ProgressEvent[]) => Promise<LessonProgress[]>;

/** The events of one enrolment not yet accepted by the server. */
export class Outbox {
  private readonly key: string;
  private readonly post: Post;
  private memory: ProgressEvent[];
  private seq: number;
  private sending: Promise<void> | null = null;
  /** How many events wait on this device. */
  pending = $state(0);
  /** The last send failed for lack of a connection (the events are kept). */
  stalled = $state(false);

  constructor(enrolmentId: number, post: Post) {
    this.key = PREFIX + enrolmentId;
    this.post = post;
    this.memory = read(this.key);
    this.pending = this.memory.length;
    this.seq = this.memory.reduce((m, e) => Math.max(m, e.seq ?? 0), 0);
  }

  /** Keeps an event on the device (stamped with its time and a counter) until the server has it. */
  add(ev: Omit<ProgressEvent, 'at' | 'seq'>): void {
    const all = read(this.key);
    const events = all.length || !this.memory.length ? all : this.memory;
    events.push({ ...ev, seq: ++this.seq, at: new Date().toISOString() });
    while (events.length > KEEP) {
      const i = events.findIndex((e) => e.kind === 'heartbeat');
      events.splice(i < 0 ? 0 : i, 1);
    }
    this.memory = events;
    write(this.key, events);
    this.pending = events.length;
  }

  /**
   * Sends what waits, batch by batch; answers the merged rows the server
   * returned. A failed connection keeps the events (stalled); a batch the
   * server refuses (422: it would be refused again) is dropped.
   */
  flush(onRows?: (rows: LessonProgress[]) => void): Promise<void> {
    // One send at a time; the flag is cleared only once this one has finished.
    this.sending ??= this.drain(onRows).finally(() => (this.sending = null));
    return this.sending;
  }

  private async drain(onRows?: (rows: LessonProgress[]) => void): Promise<void> {
    for (;;) {
      const events = read(this.key);
      const all = events.length ? events : this.memory;
      if (!all.length) break;
      const batch = all.slice(0, BATCH);
      try {
        const rows = await this.post(batch);
        this.stalled = false;
        onRows?.(rows);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 429)) {
          this.stalled = true;
          return;
        }
        // Refused for good (422, 403, 404, 409): sending it again would not help.
      }
      // An event is its counter and its time (another tab of the same enrolment counts on its own).
      const sent = new Set(batch.map(id));
      this.memory = read(this.key).filter((e) => !sent.has(id(e)));
      write(this.key, this.memory);
      this.pending = this.memory.length;
    }
  }
}
