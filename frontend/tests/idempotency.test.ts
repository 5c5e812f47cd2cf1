import { describe, expect, it } from 'vitest';
import { Api, newIdempotencyKey } from '../src/lib/api';
import { Auth } from '../src/lib/auth';
import { json, scripted, tokens } from './helpers';

const noLock = <T>(fn: () => Promise<T>) => fn();

async function signedIn(replies: Parameters<typeof scripted>[0]) {
  const s = scripted([json(200, tokens('A1')), ...replies]);
  const auth = new Auth({ fetch: s.fetch, lock: noLock, setTimer: () => 0, clearTimer: () => {} });
  await auth.login('0901000004', 'QuanLy@2026');
  const waits: number[] = [];
  const api = new Api(auth, { fetch: s.fetch, retryDelays: [10, 20], sleep: async (ms) => void waits.push(ms) });
  return { api, calls: s.calls, waits };
}

const person = { full_name: 'Lò Văn Tủa', commune_id: 1 };
const created = () => json(201, { id: 9, full_name: 'Lò Văn Tủa' });
const keyOf = (c: { headers: Record<string, string> }) => c.headers['idempotency-key'];

describe('Idempotency-Key', () => {
  it('is fresh for every write, and absent from reads and sign-in endpoints', async () => {
    const { api, calls } = await signedIn([created(), created(), json(200, { items: [], total: 0, page: 1, page_size: 20 }), new Response(null, { status: 204 })]);
    await api.createPerson(person);
    await api.createPerson(person);
    await api.people();
    await api.changePassword('Cu@12345678', 'Moi@12345678');
    const [first, second, read, password] = calls.slice(1);
    expect(keyOf(first)).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(keyOf(second)).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(keyOf(first)).not.toBe(keyOf(second));
    expect(keyOf(read)).toBeUndefined();
    expect(keyOf(password)).toBeUndefined();
    expect(keyOf(calls[0])).toBeUndefined(); // the sign-in
  });

  it('is reused when a lost connection or a 503 makes the write go again', async () => {
    const { api, calls, waits } = await signedIn([new TypeError('Failed to fetch'), json(503, { code: 'unavailable', message: '' }), created()]);
    const p = await api.createPerson(person);
    expect(p.id).toBe(9);
    const writes = calls.slice(1);
    expect(writes).toHaveLength(3);
    expect(new Set(writes.map(keyOf)).size).toBe(1);
    expect(writes.every((c) => c.method === 'POST' && c.body !== undefined)).toBe(true);
    expect(waits).toEqual([10, 20]);
  });

  it('gives up after the configured retries with the last answer', async () => {
    const { api, calls } = await signedIn([json(503, {}), json(502, {}), json(503, { code: 'unavailable', message: 'Bận.' })]);
    const err = await api.updatePerson(3, { village: 'Bản Nậm' }).catch((e) => e);
    expect(err).toMatchObject({ status: 503, code: 'unavailable' });
    expect(calls.slice(1)).toHaveLength(3);
    expect(new Set(calls.slice(1).map(keyOf)).size).toBe(1);
  });

  it('is reused by the retry after a session refresh', async () => {
    const { api, calls } = await signedIn([json(401, { code: 'unauthorized', message: '' }), json(200, tokens('A2')), new Response(null, { status: 204 })]);
    await api.revokeRole(3, 4);
    const [before, , after] = calls.slice(1);
    expect(before.headers.authorization).toBe('Bearer A1');
    expect(after.headers.authorization).toBe('Bearer A2');
    expect(keyOf(before)).toBeTruthy();
    expect(keyOf(after)).toBe(keyOf(before));
  });

  it('does not resend reads, nor writes whose answer is final', async () => {
    const { api, calls } = await signedIn([new TypeError('Failed to fetch'), json(422, { code: 'invalid', message: 'Sai.' })]);
    expect(await api.me().catch((e) => e.code)).toBe('network');
    expect(await api.createPerson(person).catch((e) => e.status)).toBe(422);
    expect(calls.slice(1)).toHaveLength(2);
  });

  it('takes a key given by the caller, so one form reuses it across attempts', async () => {
    const { api, calls } = await signedIn([created()]);
    await api.request('POST', '/people', { json: person, idempotencyKey: 'form-1' });
    expect(keyOf(calls[1])).toBe('form-1');
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
