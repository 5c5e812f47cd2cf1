// The signed-in person, their roles and the role they are acting in now.

import { Api } from './api';
import { Auth } from './auth';
import { ApiError } from './errors';
import type { Key } from './i18n/index.svelte';
import { reportNetwork } from './net.svelte';
import { resetRefData } from './refdata';
import { defaultRole, heldRoles } from './roles';
import type { Me, Role } from './types';

export type Status = 'booting' | 'signed-out' | 'signed-in' | 'offline';

let status = $state<Status>('booting');
let me = $state<Me | null>(null);
let activeRole = $state<Role | null>(null);
let notice = $state<Key | null>(null);
let mustChange = $state(false);

const ROLE_KEY = 'densach.role.';
/**
 * Set (to "1") while this browser holds a session, cleared when it ends: it tells
 * boot() whether a refresh call is worth waiting for, so that the sign-in form
 * shows at once without one. It holds no token; the refresh token stays in its
 * HttpOnly cookie.
 */
export const SESSION_HINT_KEY = 'densach.session';
/**
 * A teacher's own /me, kept while their session lasts so that the app starts
 * with no connection (the attendance register works offline): boot() then
 * acts as signed in from it until the connection returns, and checks the
 * session for real then. Cleared when the session ends.
 */
const OFFLINE_ME_KEY = 'densach.offline-me';
let offlineStart = false;

function keepOfflineMe(m: Me | null): void {
  try {
    if (m && heldRoles(m.roles ?? []).includes('teacher')) localStorage.setItem(OFFLINE_ME_KEY, JSON.stringify(m));
    else localStorage.removeItem(OFFLINE_ME_KEY);
  } catch {
    // no storage: no offline start
  }
}

function offlineMe(): Me | null {
  try {
    const raw = localStorage.getItem(OFFLINE_ME_KEY);
    const m = raw ? (JSON.parse(raw) as Me) : null;
    return m && m.person && Array.isArray(m.roles) ? m : null;
  } catch {
    return null;
  }
}

function setHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(SESSION_HINT_KEY, '1');
    else localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // no storage: boot() then always tries the refresh
  }
}

/** Whether a refresh may restore a session (true when storage cannot say). */
function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT_KEY) !== null;
  } catch {
    return true;
  }
}

/** fetch that also tells the connection indicator whether the server answered. */
const watchedFetch: typeof fetch = async (input, init) => {
  try {
    const res = await globalThis.fetch(input, init);
    reportNetwork(true);
    return res;
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'AbortError')) reportNetwork(false);
    throw e;
  }
};

function ended(why: Key): void {
  setHint(false);
  keepOfflineMe(null);
  offlineStart = false;
  resetRefData();
  me = null;
  activeRole = null;
  notice = why;
  status = 'signed-out';
}

export const auth = new Auth({ fetch: watchedFetch, onExpired: () => ended('auth.expired') });
export const api = new Api(auth, {
  fetch: watchedFetch,
  onUnauthorized: () => {
    // Started offline there is no token yet: resume() checks the session when the connection returns.
    if (!auth.signedIn && status === 'signed-in' && !offlineStart) ended('auth.expired');
  },
});

export const session = {
  get status(): Status {
    return status;
  },
  get person() {
    return me?.person ?? null;
  },
  get grants() {
    return me?.roles ?? [];
  },
  get roles(): Role[] {
    return heldRoles(me?.roles ?? []);
  },
  get role(): Role | null {
    return activeRole;
  },
  /** Someone else chose the password: only the account page works until it is changed. */
  get mustChangePassword(): boolean {
    return status === 'signed-in' && mustChange;
  },
  /** A message for the sign-in page (why the session ended), shown once. */
  get notice(): Key | null {
    return notice;
  },
};

function remember(role: Role): void {
  try {
    if (me) localStorage.setItem(ROLE_KEY + me.person.id, role);
  } catch {
    // not remembered
  }
}

async function loadMe(): Promise<void> {
  const loaded = await api.me();
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(ROLE_KEY + loaded.person.id);
  } catch {
    remembered = null;
  }
  me = loaded;
  keepOfflineMe(loaded);
  offlineStart = false;
  mustChange = auth.mustChangePassword;
  activeRole = defaultRole(loaded.roles ?? [], remembered);
  status = 'signed-in';
}

/** Restores the session from the refresh cookie, if there is one. */
export async function boot(): Promise<void> {
  if (!mayHaveSession()) {
    // Never signed in here (or signed out): the sign-in form at once, no refresh call.
    status = 'signed-out';
    return;
  }
  try {
    const ok = await auth.refresh();
    if (!ok) {
      setHint(false);
      status = 'signed-out';
      return;
    }
    await loadMe();
    setHint(true);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'network') {
      const kept = offlineMe();
      if (kept && mayHaveSession()) {
        // A teacher with no signal: the app as they left it, the session checked once back online.
        me = kept;
        offlineStart = true;
        mustChange = false;
        let remembered: string | null = null;
        try {
          remembered = localStorage.getItem(ROLE_KEY + kept.person.id);
        } catch {
          remembered = null;
        }
        activeRole = defaultRole(kept.roles ?? [], remembered);
        status = 'signed-in';
        return;
      }
      status = 'offline';
      return;
    }
    auth.clear();
    setHint(false);
    status = 'signed-out';
  }
}

/** Whether the app started with no connection from the kept /me (no session checked yet). */
export function startedOffline(): boolean {
  return offlineStart;
}

/** After an offline start, once the connection is back: restores the session for real (or ends it). */
let resuming: Promise<void> | null = null;
export function resume(): Promise<void> {
  if (!offlineStart) return Promise.resolve();
  resuming ??= doResume().finally(() => (resuming = null));
  return resuming;
}

async function doResume(): Promise<void> {
  try {
    const ok = await auth.refresh();
    if (!ok) {
      ended('auth.expired');
      return;
    }
    await loadMe();
  } catch {
    // still no connection: tried again on the next "online"
  }
}

/** Signs in and loads who the person is; throws ApiError on failure. */
export async function signIn(login: string, password: string): Promise<void> {
  await auth.login(login, password);
  notice = null;
  try {
    await loadMe();
    setHint(true);
  } catch (e) {
    auth.clear();
    throw e;
  }
}

/** Signs out of this device, or of every device. */
export async function signOut(everywhere = false): Promise<void> {
  await auth.logout(everywhere);
  ended(everywhere ? 'auth.signedOutEverywhere' : 'auth.signedOut');
}

/** Ends the session after the password changed (the server revoked every session). */
export function afterPasswordChange(): void {
  auth.clear();
  ended('account.passwordChanged');
}

/** Acts in another of the roles the person holds. */
export function setRole(role: Role): void {
  if (!heldRoles(me?.roles ?? []).includes(role)) return;
  activeRole = role;
  remember(role);
}

/** Clears the sign-in page's notice once it has been read. */
export function clearNotice(): void {
  notice = null;
}
