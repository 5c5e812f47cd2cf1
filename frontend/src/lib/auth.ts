// The session's tokens: the access token lives only in memory; the refresh
// token lives in an HttpOnly cookie (densach_refresh, Path=/api/v1/auth) that
// the server sets and JavaScript never sees (the app never asks for it in the
// JSON: include_refresh_token is for clients without cookies). Refresh runs silently before the
// access token expires, once at a time (across tabs too, where the browser has
// the Web Locks API, so that two tabs never present the same rotating cookie).

import { ApiError, errorFromResponse, networkError } from './errors';
import type { TokenResponse } from './types';

export const AUTH_BASE = '/api/v1/auth';

export interface AuthOptions {
  fetch?: typeof fetch;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Runs fn while holding a lock shared by all tabs; defaults to navigator.locks when present. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Refresh this long before the access token expires (ms). */
  margin?: number;
  /** Wait this long before trying again after a refresh failed for lack of a connection (ms). */
  retryDelay?: number;
  /** Called when the session ended without the user asking (refresh refused). */
  onExpired?: () => void;
}

function defaultLock(): (<T>(fn: () => Promise<T>) => Promise<T>) | undefined {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return undefined;
  return (fn) => locks.request('densach-refresh', fn);
}

export class Auth {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private mustChange = false;
  private timer: unknown = null;
  private inflight: Promise<boolean> | null = null;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  private readonly margin: number;
  private readonly retryDelay: number;
  private readonly onExpired: () => void;

  constructor(opts: AuthOptions = {}) {
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = opts.now ?? (() => Date.now());
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.lock = opts.lock ?? defaultLock();
    this.margin = opts.margin ?? 60_000;
    this.retryDelay = opts.retryDelay ?? 30_000;
    this.onExpired = opts.onExpired ?? (() => {});
  }

  /** Whether an access token is held (it may be about to expire). */
  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  /** Whether someone else chose the password: until it is changed, only the account page works. */
  get mustChangePassword(): boolean {
    return this.mustChange;
  }

  /** When the held access token expires (ms since the epoch), 0 when none. */
  get expiry(): number {
    return this.expiresAt;
  }

  private async post(path: string, body: unknown): Promise<Response> {
    try {
      return await this.fetch(AUTH_BASE + path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...(this.accessToken ? { Authorization: 'Bearer ' + this.accessToken } : {}),
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw networkError();
    }
  }

  private accept(tokens: TokenResponse): void {
    if (!tokens || typeof tokens.access_token !== 'string' || !tokens.access_token) {
      throw new ApiError(500, 'internal', '');
    }
    this.accessToken = tokens.access_token;
    this.mustChange = tokens.must_change_password === true;
    const ttl = Math.max(1, Number(tokens.expires_in) || 900) * 1000;
    this.expiresAt = this.now() + ttl;
    // Refresh `margin` before expiry, but never sooner than half-way through a short-lived token.
    this.schedule(Math.max(ttl - this.margin, ttl / 2));
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.refresh().catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'network' && this.accessToken) this.schedule(this.retryDelay);
      });
    }, ms);
  }

  /** Signs in; throws ApiError (401 generic failure, 429 rate-limited, network). */
  async login(login: string, password: string): Promise<void> {
    const res = await this.post('/login', { login, password });
    if (!res.ok) throw await errorFromResponse(res);
    this.accept((await res.json()) as TokenResponse);
  }

  /**
   * Trades the refresh cookie for a new access token. Resolves true when
   * renewed, false when the server refused (the session is over); throws an
   * ApiError with code "network" when the server could not be reached.
   * Concurrent callers share one request.
   */
  refresh(): Promise<boolean> {
    if (!this.inflight) {
      const run = () => this.doRefresh();
      this.inflight = (this.lock ? this.lock(run) : run()).finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<boolean> {
    const hadSession = this.accessToken !== null;
    const res = await this.post('/refresh', {});
    if (res.ok) {
      this.accept((await res.json()) as TokenResponse);
      return true;
    }
    const err = await errorFromResponse(res);
    if (res.status === 401 || res.status === 403) {
      this.clear();
      if (hadSession) this.onExpired();
      return false;
    }
    throw err;
  }

  /**
   * The access token to send, renewed first when it has expired or is about
   * to; null when there is no session.
   */
  async token(): Promise<string | null> {
    if (!this.accessToken) return null;
    if (this.now() < this.expiresAt - 5_000) return this.accessToken;
    const ok = await this.refresh();
    return ok ? this.accessToken : null;
  }

  /**
   * Signs out here, or everywhere (all the account's sessions). Signing out
   * here forgets the token even when the server cannot be reached; signing out
   * everywhere throws instead, so that the person knows it did not happen.
   */
  async logout(everywhere = false): Promise<void> {
    let res: Response;
    try {
      // Signing out everywhere needs a valid access token: renew an expired one first.
      if (everywhere) await this.token();
      res = await this.post('/logout', { everywhere });
    } catch (e) {
      if (everywhere) throw e;
      this.clear();
      return;
    }
    // A 401 means this session was already over, which is fine for signing out
    // here; signing out everywhere did not happen then, and the person must know.
    if (!res.ok && (everywhere || res.status !== 401)) {
      const err = await errorFromResponse(res);
      if (everywhere) throw err;
    }
    this.clear();
  }

  /** Forgets the access token and stops the refresh timer. */
  clear(): void {
    this.accessToken = null;
    this.expiresAt = 0;
    this.mustChange = false;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
