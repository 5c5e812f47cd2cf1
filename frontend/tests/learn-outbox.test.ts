// The player's outbox: events are kept on the device until the server has
// them, survive a reload, wait while offline and are dropped when refused.
import { beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type ProgressEvent } from '../src/routes/learn/outbox.svelte';
import { ApiError } from '../src/lib/errors';

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
});

describe('Outbox', () => {
  it('keeps events while offline, across a reload, and sends them all once back', async () => {
    let offline = true;
    const sent: ProgressEvent[][] = [];
    const post = async (events: ProgressEvent[]) => {
      if (offline) throw new ApiError(0, 'network', '');
      sent.push(events);
      return [];
    };
    const a = new Outbox(7, post);
    a.add({ lesson_id: 1, kind: 'open', time_spent_s: 0 });
    a.add({ lesson_id: 1, kind: 'heartbeat', time_spent_s: 15, position_s: 15, played: [0, 15], duration_s: 60 });
    await a.flush();
    expect(a.stalled).toBe(true);
    expect(a.pending).toBe(2);

    // the page reloads: a new outbox finds the events on the device
    const b = new Outbox(7, post);
    expect(b.pending).toBe(2);
    b.add({ lesson_id: 2, kind: 'complete', time_spent_s: 3 });
    offline = false;
    await b.flush();
    expect(b.pending).toBe(0);
    expect(b.stalled).toBe(false);
    expect(sent).toHaveLength(1);
    expect(sent[0].map((e) => e.kind)).toEqual(['open', 'heartbeat', 'complete']);
    expect(new Set(sent[0].map((e) => e.seq)).size).toBe(3);
    expect(sent[0].every((e) => typeof e.at === 'string')).toBe(true);
    expect(storage.data.size).toBe(0);
  });

  it('drops a batch the server refuses for good, and sends in batches of 500', async () => {
    const sizes: number[] = [];
    let refuse = true;
    const o = new Outbox(8, async (events) => {
      if (refuse) throw new ApiError(422, 'invalid', '');
      sizes.push(events.length);
      return [];
    });
    await o.flush(); // nothing to send: later flushes must still send
    o.add({ lesson_id: 1, kind: 'complete' });
    await o.flush();
    expect(o.pending).toBe(0);
    refuse = false;
    for (let i = 0; i < 1200; i++) o.add({ lesson_id: 1, kind: 'heartbeat', time_spent_s: i });
    await o.flush();
    expect(sizes).toEqual([500, 500, 200]);
    expect(o.pending).toBe(0);
  });
});
