import { describe, expect, it } from 'vitest';
import { Api, queryString } from '../src/lib/api';
import { Auth } from '../src/lib/auth';
import { ApiError } from '../src/lib/errors';
import { json, scripted, tokens } from './helpers';

const noLock = <T>(fn: () => Promise<T>) => fn();

async function signedIn(replies: Parameters<typeof scripted>[0]) {
  const s = scripted([json(200, tokens('A1')), ...replies]);
  const auth = new Auth({ fetch: s.fetch, lock: noLock, setTimer: () => 0, clearTimer: () => {} });
  await auth.login('0901000004', 'QuanLy@2026');
  let unauthorized = 0;
  const api = new Api(auth, { fetch: s.fetch, onUnauthorized: () => unauthorized++ });
  return { api, auth, calls: s.calls, unauthorized: () => unauthorized };
}

describe('queryString', () => {
  it('keeps set values in order and drops empty ones', () => {
    expect(queryString({ q: 'Đoàn Kết', commune_id: 3, role: undefined, staff: false, page: 1, x: '' })).toBe('?q=%C4%90o%C3%A0n+K%E1%BA%BFt&commune_id=3&page=1');
    expect(queryString({ staff: true })).toBe('?staff=true');
    expect(queryString({})).toBe('');
    expect(queryString(undefined)).toBe('');
  });
});

describe('Api', () => {
  it('sends the access token and reads JSON', async () => {
    const { api, calls } = await signedIn([json(200, { items: [], total: 0, page: 1, page_size: 20 })]);
    const page = await api.people({ q: 'an', page: 1, page_size: 20 });
    expect(page.total).toBe(0);
    const c = calls[1];
    expect(c.url).toBe('/api/v1/people?q=an&page=1&page_size=20');
    expect(c.method).toBe('GET');
    expect(c.headers.authorization).toBe('Bearer A1');
    expect(c.credentials).toBe('same-origin');
  });

  it('turns a 422 into an ApiError with the Vietnamese field messages', async () => {
    const body = {
      code: 'invalid',
      message: 'Dữ liệu không hợp lệ.',
      fields: [{ field: 'phone', code: 'phone_prefix', message: 'Đầu số điện thoại không hợp lệ.' }],
      request_id: 'req-1',
    };
    const { api, calls } = await signedIn([json(422, body)]);
    const err = await api.createPerson({ full_name: 'Lò Văn Tủa', commune_id: 1, phone: '0123456789' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid');
    expect(err.message).toBe('Dữ liệu không hợp lệ.');
    expect(err.field('phone')).toBe('Đầu số điện thoại không hợp lệ.');
    expect(err.field('cccd')).toBeUndefined();
    expect(err.requestId).toBe('req-1');
    expect(calls[1].method).toBe('POST');
    expect(calls[1].headers['content-type']).toBe('application/json');
    expect(calls[1].body).toEqual({ full_name: 'Lò Văn Tủa', commune_id: 1, phone: '0123456789' });
  });

  it('maps a body that is not the error shape by its status', async () => {
    const { api } = await signedIn([new Response('<html>Bad gateway</html>', { status: 502 }), new Response('', { status: 429, headers: { 'Retry-After': '30' } })]);
    const e1 = await api.me().catch((e) => e);
    expect(e1).toMatchObject({ status: 502, code: 'unavailable', message: '' });
    const e2 = await api.me().catch((e) => e);
    expect(e2).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 30 });
  });

  it('reports a dropped connection as code "network"', async () => {
    const { api } = await signedIn([new TypeError('Failed to fetch')]);
    const err = await api.me().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network');
    expect(err.status).toBe(0);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const { api, calls, unauthorized } = await signedIn([
      json(401, { code: 'unauthorized', message: 'Phiên đã hết hạn.' }),
      json(200, tokens('A2')),
      json(200, { person: { id: 7 }, roles: [] }),
    ]);
    const me = await api.me();
    expect(me.person.id).toBe(7);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/login', '/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me']);
    expect(calls[3].headers.authorization).toBe('Bearer A2');
    expect(unauthorized()).toBe(0);
  });

  it('gives up when the refresh is refused, and says so', async () => {
    const { api, auth, calls, unauthorized } = await signedIn([
      json(401, { code: 'unauthorized', message: 'Phiên đã hết hạn.' }),
      json(401, { code: 'unauthorized', message: 'Phiên đã hết hạn.' }),
    ]);
    const err = await api.me().catch((e) => e);
    expect(err.code).toBe('unauthorized');
    expect(calls).toHaveLength(3);
    expect(auth.signedIn).toBe(false);
    expect(unauthorized()).toBe(1);
  });

  it('answers undefined for 204', async () => {
    const { api, calls } = await signedIn([new Response(null, { status: 204 })]);
    await expect(api.revokeRole(5, 9)).resolves.toBeUndefined();
    expect(calls[1]).toMatchObject({ method: 'DELETE', url: '/api/v1/people/5/roles/9' });
  });

  it('uploads a CSV for a dry run and for real', async () => {
    const result = { dry_run: true, total_rows: 3, created: 2, updated: 0, unchanged: 0, failed: 1, errors: [{ row: 3, field: 'so_dien_thoai', code: 'phone_prefix', message: 'Đầu số điện thoại không hợp lệ.' }] };
    const { api, calls } = await signedIn([json(200, result), json(200, { ...result, dry_run: false })]);
    const csv = 'ho_ten,so_dien_thoai\nA,0912345678\n';
    expect((await api.importPeople(csv, true)).failed).toBe(1);
    expect((await api.importPeople(csv, false)).dry_run).toBe(false);
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/v1/people/import?dry_run=true', body: csv });
    expect(calls[1].headers['content-type']).toBe('text/csv');
    expect(calls[2].url).toBe('/api/v1/people/import?dry_run=false');
  });

  it('counts people by asking for one item', async () => {
    const { api, calls } = await signedIn([json(200, { items: [{}], total: 42, page: 1, page_size: 1 })]);
    expect(await api.countPeople({ centre_id: 3, role: 'learner' })).toBe(42);
    expect(calls[1].url).toBe('/api/v1/people?centre_id=3&role=learner&page=1&page_size=1');
  });

  it('unwraps list endpoints', async () => {
    const { api, calls } = await signedIn([json(200, { items: [{ id: 1, name: 'Lai Châu', kind: 'province' }] }), json(200, { items: [] })]);
    expect(await api.units({ kind: 'province' })).toHaveLength(1);
    expect(await api.centres({ unit_id: 4 })).toEqual([]);
    expect(calls[1].url).toBe('/api/v1/units?kind=province');
    expect(calls[2].url).toBe('/api/v1/centres?unit_id=4');
  });

  it('grants a role and changes a password with the contract bodies', async () => {
    const { api, calls } = await signedIn([json(201, { id: 3, role: 'teacher' }), new Response(null, { status: 204 })]);
    await api.grantRole(11, { role: 'teacher', centre_id: 2 });
    await api.changePassword('cũ', 'mật khẩu mới');
    expect(calls[1]).toMatchObject({ url: '/api/v1/people/11/roles', body: { role: 'teacher', centre_id: 2 } });
    expect(calls[2]).toMatchObject({ url: '/api/v1/auth/password', body: { current_password: 'cũ', new_password: 'mật khẩu mới' } });
  });
});
