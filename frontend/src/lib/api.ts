// The API client: JSON over fetch under /api/v1, the access token attached,
// one silent refresh and retry on 401, and every failure turned into ApiError.
// Every signed-in write carries an Idempotency-Key, one per logical action:
// its retries (after a refresh, a dropped connection or a 502/503/504) reuse
// it, so the server writes once even when an answer was lost.

import type { Auth } from './auth';
import { ApiError, errorFromResponse, networkError } from './errors';
import type {
  Centre,
  Grant,
  GrantInput,
  ImportResult,
  Me,
  MyCentre,
  Page,
  PeopleQuery,
  Person,
  PersonInput,
  SignInSlip,
  Summary,
  Unit,
  UnitKind,
} from './types';

export const API_BASE = '/api/v1';

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
  /** The write's Idempotency-Key; by default a fresh one per request() call. */
  idempotencyKey?: string;
  /** Told how much of the body has gone up (the request then goes by XMLHttpRequest, which reports it). */
  onUpload?: (sent: number, total: number) => void;
}

/** Statuses whose answer has no body (a Response refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * fetch's contract over XMLHttpRequest, whose upload events say how much of a
 * big body has been sent (fetch does not).
 */
export function fetchWithUpload(onUpload: (sent: number, total: number) => void): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open(init.method ?? 'GET', String(input));
      for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) x.setRequestHeader(k, v);
      x.upload.onprogress = (e) => e.lengthComputable && onUpload(e.loaded, e.total);
      x.onload = () => {
        const headers = new Headers();
        for (const line of x.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const i = line.indexOf(':');
          if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        resolve(new Response(NO_BODY.has(x.status) ? null : x.responseText, { status: x.status, headers }));
      };
      x.onerror = x.ontimeout = () => reject(new TypeError('network'));
      x.onabort = () => reject(new DOMException('aborted', 'AbortError'));
      init.signal?.addEventListener('abort', () => x.abort());
      x.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}

/** Methods that write; under /auth they are not keyed (the server ignores keys there). */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Statuses after which a keyed write is sent again: the write may or may not have happened. */
const RETRY_STATUSES = new Set([502, 503, 504]);

/** A fresh random Idempotency-Key (a UUID). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Builds "?a=1&b=x" from the defined, non-empty values of q (keys in the given order). */
export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

/**
 * The file name in a Content-Disposition header: the UTF-8 filename* (RFC
 * 8187) first, then the plain filename, else fallback; never a path.
 */
export function fileNameOf(header: string | null, fallback: string): string {
  let name = '';
  const ext = header?.match(/filename\*\s*=\s*utf-8''([^;]+)/i);
  if (ext) {
    try {
      name = decodeURIComponent(ext[1].trim());
    } catch {
      name = '';
    }
  }
  if (!name) name = header?.match(/filename\s*=\s*"([^"]*)"/i)?.[1] ?? '';
  name = name.replace(/[\\/\u0000-\u001f]/g, ' ').trim();
  return name || fallback;
}

export class Api {
  private readonly auth: Auth;
  private readonly fetch: typeof fetch;
  private readonly onUnauthorized: () => void;
  private readonly retryDelays: number[];
  private readonly sleep: (ms: number) => Promise<void>;

  /** retryDelays: the waits (ms) before each resend of a keyed write; sleep: the timer (tests replace it). */
  constructor(
    auth: Auth,
    opts: { fetch?: typeof fetch; onUnauthorized?: () => void; retryDelays?: number[]; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.auth = auth;
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthorized = opts.onUnauthorized ?? (() => {});
    this.retryDelays = opts.retryDelays ?? [1000, 3000];
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private async send(method: string, path: string, opts: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: BodyInit | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.contentType) {
      headers['Content-Type'] = opts.contentType;
    }
    if (token) headers.Authorization = 'Bearer ' + token;
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    const send = opts.onUpload && typeof XMLHttpRequest !== 'undefined' ? fetchWithUpload(opts.onUpload) : this.fetch;
    try {
      return await send(API_BASE + path + queryString(opts.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw networkError();
    }
  }

  /** Sends a keyed write again, with the same key, after a dropped connection or a 502/503/504. */
  private async sendRetrying(method: string, path: string, opts: RequestOptions, token: string | null): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const delay = opts.idempotencyKey ? this.retryDelays[attempt] : undefined;
      try {
        const res = await this.send(method, path, opts, token);
        if (delay === undefined || !RETRY_STATUSES.has(res.status)) return res;
      } catch (e) {
        if (delay === undefined || !(e instanceof ApiError && e.code === 'network') || opts.signal?.aborted) throw e;
      }
      await this.sleep(delay);
    }
  }

  /** Sends one request; on 401 refreshes the session once and retries. Resolves to the parsed JSON (undefined for 204). */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    if (WRITES.has(method) && !path.startsWith('/auth/') && !opts.idempotencyKey) {
      opts = { ...opts, idempotencyKey: newIdempotencyKey() };
    }
    let token = await this.auth.token();
    let res = await this.sendRetrying(method, path, opts, token);
    if (res.status === 401 && token) {
      const renewed = await this.auth.refresh();
      if (renewed) {
        token = await this.auth.token();
        res = await this.sendRetrying(method, path, opts, token);
      }
    }
    if (!res.ok) {
      const err = await errorFromResponse(res);
      if (err.status === 401) this.onUnauthorized();
      throw err;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'internal', '');
    }
  }

  /**
   * Downloads a file the API serves (a PDF or XLSX register): the bytes and
   * the name the server gave in Content-Disposition (filename*, else
   * filename, else fallback). Refreshes the session once on 401, like request.
   */
  async file(path: string, fallback: string, signal?: AbortSignal): Promise<{ blob: Blob; name: string }> {
    let token = await this.auth.token();
    let res = await this.send('GET', path, { signal }, token);
    if (res.status === 401 && token && (await this.auth.refresh())) {
      token = await this.auth.token();
      res = await this.send('GET', path, { signal }, token);
    }
    if (!res.ok) {
      const err = await errorFromResponse(res);
      if (err.status === 401) this.onUnauthorized();
      throw err;
    }
    return { blob: await res.blob(), name: fileNameOf(res.headers.get('Content-Disposition'), fallback) };
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  /** The home pages' counts in one answer, inside the caller's scope. */
  summary(): Promise<Summary> {
    return this.get<Summary>('/summary');
  }

  me(): Promise<Me> {
    return this.get<Me>('/me');
  }

  /** A page of people; items is always a list, even when the server sent none. */
  async people(q: PeopleQuery = {}, signal?: AbortSignal): Promise<Page<Person>> {
    const page = await this.get<Page<Person>>('/people', { ...q } as Query, signal);
    return { ...page, items: page.items ?? [] };
  }

  /** How many people match q (asks for one item and reads the total). */
  async countPeople(q: PeopleQuery = {}): Promise<number> {
    const page = await this.people({ ...q, page: 1, page_size: 1, cursor: undefined });
    return page.total ?? 0;
  }

  person(id: number): Promise<Person> {
    return this.get<Person>(`/people/${id}`);
  }

  /** People the caller may read with the same name and birth year in the commune: possible duplicates of a new person. */
  async similarPeople(q: { full_name: string; birth_year?: number | null; commune_id: number }): Promise<Person[]> {
    const query: Query = { full_name: q.full_name, commune_id: q.commune_id };
    if (q.birth_year) query.birth_year = q.birth_year;
    const res = await this.get<{ items: Person[] | null }>('/people/similar', query);
    return res.items ?? [];
  }

  /** Deactivates a person (signing their account out); people are never deleted. */
  deactivatePerson(id: number): Promise<Person> {
    return this.request<Person>('POST', `/people/${id}/deactivate`);
  }

  activatePerson(id: number): Promise<Person> {
    return this.request<Person>('POST', `/people/${id}/activate`);
  }

  /** Merges the duplicate record fromId into the person id; answers the kept person. */
  mergePerson(id: number, fromId: number): Promise<Person> {
    return this.request<Person>('POST', `/people/${id}/merge`, { json: { from_id: fromId } });
  }

  createPerson(input: PersonInput): Promise<Person> {
    return this.request<Person>('POST', '/people', { json: input });
  }

  updatePerson(id: number, patch: PersonInput): Promise<Person> {
    return this.request<Person>('PATCH', `/people/${id}`, { json: patch });
  }

  /** Checks (dryRun) or applies a CSV of people; onUpload follows the file going up. */
  importPeople(
    csv: Blob | string,
    dryRun: boolean,
    opts: { communeId?: number; enrolCentreId?: number; onUpload?: (sent: number, total: number) => void } = {},
  ): Promise<ImportResult> {
    const query: Record<string, string> = { dry_run: dryRun ? 'true' : 'false' };
    if (opts.communeId) query.commune_id = String(opts.communeId);
    if (opts.enrolCentreId) query.enrol_centre_id = String(opts.enrolCentreId);
    return this.request<ImportResult>('POST', '/people/import', {
      query,
      body: csv,
      contentType: 'text/csv',
      onUpload: opts.onUpload,
    });
  }

  grantRole(personId: number, grant: GrantInput): Promise<Grant> {
    return this.request<Grant>('POST', `/people/${personId}/roles`, { json: grant });
  }

  revokeRole(personId: number, grantId: number): Promise<void> {
    return this.request<void>('DELETE', `/people/${personId}/roles/${grantId}`);
  }

  /** Creates the account or resets its password to a one-time password, and returns the sign-in slip. */
  issueOneTimePassword(personId: number): Promise<SignInSlip> {
    return this.request<SignInSlip>('POST', `/people/${personId}/account`, { json: {} });
  }

  changePassword(current: string, next: string): Promise<void> {
    return this.request<void>('POST', '/auth/password', { json: { current_password: current, new_password: next } });
  }

  async units(q: { kind?: UnitKind; parent_id?: number } = {}): Promise<Unit[]> {
    return (await this.get<{ items: Unit[] }>('/units', q)).items ?? [];
  }

  /** The centres the caller belongs to, with their address and contacts (the homes). */
  async myCentres(): Promise<MyCentre[]> {
    return (await this.get<{ items: MyCentre[] }>('/centres/mine')).items ?? [];
  }

  async centres(q: { unit_id?: number } = {}): Promise<Centre[]> {
    return (await this.get<{ items: Centre[] }>('/centres', q)).items ?? [];
  }
}
