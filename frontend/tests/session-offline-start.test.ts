// A teacher's app starting with no connection (so that the attendance
// register reopens offline): boot() acts as signed in from the kept /me,
// resume() checks the session for real once back online, and a session the
// server no longer knows ends then. Others still get the offline splash.
import { beforeEach, describe, expect, it, vi } from 'vitest';

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

const teacher = { person: { id: 5, full_name: 'Vàng Văn Dũng' }, roles: [{ id: 1, role: 'teacher', centre_id: 3 }] };
const learner = { person: { id: 6, full_name: 'Lù Thị Ánh' }, roles: [{ id: 2, role: 'learner', centre_id: 3 }] };

let storage: MemoryStorage;
let online: boolean;
let refreshStatus: number;

beforeEach(() => {
  vi.resetModules();
  storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
  online = false;
  refreshStatus = 200;
  globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
    if (!online) throw new TypeError('network');
    const url = String(input);
    if (url.endsWith('/auth/refresh')) {
      if (refreshStatus !== 200) return new Response(JSON.stringify({ code: 'unauthorized', message: '' }), { status: refreshStatus });
      return new Response(JSON.stringify({ access_token: 'tok', expires_in: 900 }), { status: 200 });
    }
    if (url.endsWith('/me')) return new Response(JSON.stringify(teacher), { status: 200 });
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
});

async function load() {
  return import('../src/lib/session.svelte');
}

describe('offline start', () => {
  it('a teacher whose /me was kept starts signed in with no connection, and the session is checked once back', async () => {
    storage.setItem('densach.session', '1');
    storage.setItem('densach.offline-me', JSON.stringify(teacher));
    const s = await load();
    await s.boot();
    expect(s.session.status).toBe('signed-in');
    expect(s.session.person?.id).toBe(5);
    expect(s.session.role).toBe('teacher');
    expect(s.startedOffline()).toBe(true);
    await s.resume(); // still offline: nothing changes
    expect(s.startedOffline()).toBe(true);
    online = true;
    await s.resume();
    expect(s.startedOffline()).toBe(false);
    expect(s.session.status).toBe('signed-in');
    expect(await s.auth.token()).toBe('tok');
  });

  it('a session the server no longer knows ends when the connection returns, and the kept /me is forgotten', async () => {
    storage.setItem('densach.session', '1');
    storage.setItem('densach.offline-me', JSON.stringify(teacher));
    const s = await load();
    await s.boot();
    expect(s.session.status).toBe('signed-in');
    online = true;
    refreshStatus = 401;
    await s.resume();
    expect(s.session.status).toBe('signed-out');
    expect(storage.getItem('densach.offline-me')).toBeNull();
  });

  it('without a kept /me (or signed out) the offline splash shows as before', async () => {
    storage.setItem('densach.session', '1');
    const s = await load();
    await s.boot();
    expect(s.session.status).toBe('offline');
  });

  it('only a teacher’s /me is kept when signing in', async () => {
    online = true;
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.endsWith('/auth/login')) return new Response(JSON.stringify({ access_token: 'tok', expires_in: 900 }), { status: 200 });
      if (url.endsWith('/me')) return new Response(JSON.stringify(learner), { status: 200 });
      return new Response('{}', { status: 404 });
    }) as typeof fetch;
    const s = await load();
    await s.signIn('0901000006', 'x');
    expect(storage.getItem('densach.offline-me')).toBeNull();
  });
});
