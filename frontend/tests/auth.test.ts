import { describe, expect, it, vi } from 'vitest';
import { Auth } from '../src/lib/auth';
import { ApiError } from '../src/lib/errors';
import { json, scripted, tokens } from './helpers';

/** A clock and timers the test moves by hand. */
function fakeTime() {
  let now = 1_800_000_000_000;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimer: (h: unknown) => void timers.delete(h as number),
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    /** Moves the clock forward, firing due timers in order. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await new Promise((r) => setTimeout(r, 0));
      }
      now = end;
    },
  };
}

const noLock = <T>(fn: () => Promise<T>) => fn();

describe('Auth', () => {
  it('signs in, keeps the token in memory and posts JSON with the cookie', async () => {
    const s = scripted([json(200, tokens('A1'))]);
    const time = fakeTime();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...time });
    await auth.login('0901000001', 'QuanTri@2026');
    expect(auth.signedIn).toBe(true);
    expect(await auth.token()).toBe('A1');
    expect(s.calls[0]).toMatchObject({ url: '/api/v1/auth/login', method: 'POST', credentials: 'same-origin', body: { login: '0901000001', password: 'QuanTri@2026' } });
    expect(auth.expiry).toBe(time.now() + 900_000);
    // A browser never asks for the refresh token in the JSON: it stays in the HttpOnly cookie.
    expect(s.calls[0].body).not.toHaveProperty('include_refresh_token');
    expect(auth.mustChangePassword).toBe(false);
  });

  it('remembers that the password must be changed until the session ends', async () => {
    const s = scripted([json(200, tokens('A1', 900, true)), json(200, tokens('A2', 900, true))]);
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...fakeTime() });
    await auth.login('0901000001', 'mật khẩu được cấp');
    expect(auth.mustChangePassword).toBe(true);
    expect(await auth.refresh()).toBe(true);
    expect(auth.mustChangePassword).toBe(true);
    auth.clear();
    expect(auth.mustChangePassword).toBe(false);
  });

  it('a failed sign-in keeps the server message and no token', async () => {
    const s = scripted([json(401, { code: 'unauthorized', message: 'Thông tin đăng nhập không đúng.' })]);
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...fakeTime() });
    const err = await auth.login('0901000001', 'sai').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('Thông tin đăng nhập không đúng.');
    expect(auth.signedIn).toBe(false);
  });

  it('refreshes silently a minute before the token expires', async () => {
    const s = scripted([json(200, tokens('A1', 900)), json(200, tokens('A2', 900)), json(200, tokens('A3', 900))]);
    const time = fakeTime();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...time });
    await auth.login('x', 'y');
    expect(time.pending()).toEqual([840_000]);
    await time.advance(839_999);
    expect(s.calls).toHaveLength(1);
    await time.advance(1);
    expect(s.calls.map((c) => c.url)).toEqual(['/api/v1/auth/login', '/api/v1/auth/refresh']);
    expect(s.calls[1].body).toEqual({});
    expect(await auth.token()).toBe('A2');
    await time.advance(840_000);
    expect(await auth.token()).toBe('A3');
  });

  it('refreshes half-way through a token shorter than the margin', async () => {
    const s = scripted([json(200, tokens('A1', 60))]);
    const time = fakeTime();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...time });
    await auth.login('x', 'y');
    expect(time.pending()).toEqual([30_000]);
  });

  it('shares one refresh between concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = scripted([
      async () => {
        await gate;
        return json(200, tokens('B1'));
      },
    ]);
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...fakeTime() });
    const a = auth.refresh();
    const b = auth.refresh();
    release();
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(s.calls).toHaveLength(1);
  });

  it('holds the cross-tab lock while refreshing', async () => {
    const s = scripted([json(200, tokens('B1'))]);
    let held = 0;
    const lock = <T>(fn: () => Promise<T>) => {
      held++;
      return fn();
    };
    const auth = new Auth({ fetch: s.fetch, lock, ...fakeTime() });
    await auth.refresh();
    expect(held).toBe(1);
  });

  it('ends the session when the refresh is refused', async () => {
    const s = scripted([json(200, tokens('A1')), json(401, { code: 'unauthorized', message: 'Phiên đã hết hạn.' })]);
    const time = fakeTime();
    const onExpired = vi.fn();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, onExpired, ...time });
    await auth.login('x', 'y');
    await time.advance(840_000);
    expect(auth.signedIn).toBe(false);
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(time.pending()).toEqual([]);
  });

  it('without a session, a refused refresh is just "not signed in"', async () => {
    const s = scripted([json(401, { code: 'unauthorized', message: '' })]);
    const onExpired = vi.fn();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, onExpired, ...fakeTime() });
    expect(await auth.refresh()).toBe(false);
    expect(onExpired).not.toHaveBeenCalled();
  });

  it('keeps the session and tries again later when the connection drops', async () => {
    const s = scripted([json(200, tokens('A1')), new TypeError('Failed to fetch'), json(200, tokens('A2'))]);
    const time = fakeTime();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, retryDelay: 30_000, ...time });
    await auth.login('x', 'y');
    await time.advance(840_000);
    expect(auth.signedIn).toBe(true);
    expect(time.pending()).toEqual([30_000]);
    await time.advance(30_000);
    expect(s.calls).toHaveLength(3);
    expect(await auth.token()).toBe('A2');
  });

  it('renews an expired token before handing it out (a sleeping tab)', async () => {
    const s = scripted([json(200, tokens('A1')), json(200, tokens('A2'))]);
    let now = 0;
    const auth = new Auth({ fetch: s.fetch, lock: noLock, now: () => now, setTimer: () => 0, clearTimer: () => {} });
    await auth.login('x', 'y');
    now += 899_000; // timers did not fire while the phone slept
    expect(await auth.token()).toBe('A2');
    expect(s.calls[1].url).toBe('/api/v1/auth/refresh');
  });

  it('signs out everywhere with the token and forgets it', async () => {
    const s = scripted([json(200, tokens('A1')), new Response(null, { status: 204 })]);
    const time = fakeTime();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...time });
    await auth.login('x', 'y');
    await auth.logout(true);
    expect(s.calls[1]).toMatchObject({ url: '/api/v1/auth/logout', body: { everywhere: true } });
    expect(s.calls[1].headers.authorization).toBe('Bearer A1');
    expect(auth.signedIn).toBe(false);
    expect(time.pending()).toEqual([]);
  });

  it('signing out everywhere renews an expired access token first', async () => {
    const s = scripted([json(200, tokens('A1')), json(200, tokens('A2')), new Response(null, { status: 204 })]);
    const time = fakeTime();
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...time, setTimer: () => 0 });
    await auth.login('x', 'y');
    (auth as unknown as { expiresAt: number }).expiresAt = time.now() - 1; // the phone slept past expiry
    await auth.logout(true);
    expect(s.calls[1].url).toBe('/api/v1/auth/refresh');
    expect(s.calls[2]).toMatchObject({ url: '/api/v1/auth/logout', body: { everywhere: true } });
    expect(s.calls[2].headers.authorization).toBe('Bearer A2');
  });

  it('signing out everywhere that the server refuses is reported, not silently ignored', async () => {
    const s = scripted([json(200, tokens('A1')), json(401, { code: 'unauthorized', message: 'Bạn cần đăng nhập lại.' })]);
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...fakeTime() });
    await auth.login('x', 'y');
    const err = await auth.logout(true).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
  });

  it('signing out here works offline; signing out everywhere says it failed', async () => {
    const s = scripted([json(200, tokens('A1')), new TypeError('offline'), new TypeError('offline')]);
    const auth = new Auth({ fetch: s.fetch, lock: noLock, ...fakeTime() });
    await auth.login('x', 'y');
    const err = await auth.logout(true).catch((e) => e);
    expect(err).toMatchObject({ code: 'network' });
    expect(auth.signedIn).toBe(true);
    await auth.logout(false);
    expect(auth.signedIn).toBe(false);
  });
});
