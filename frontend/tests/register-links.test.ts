import { describe, expect, it } from 'vitest';
import { Api, fileNameOf } from '../src/lib/api';
import { Auth } from '../src/lib/auth';
import { ApiError } from '../src/lib/errors';
import { registerPath } from '../src/routes/attendance/registerLinks';
import { registerMessages } from '../src/routes/attendance/registerI18n';
import { json, scripted, tokens } from './helpers';

const noLock = <T>(fn: () => Promise<T>) => fn();

async function signedIn(replies: Parameters<typeof scripted>[0]) {
  const s = scripted([json(200, tokens('A1')), ...replies]);
  const auth = new Auth({ fetch: s.fetch, lock: noLock, setTimer: () => 0, clearTimer: () => {} });
  await auth.login('0901000004', 'QuanLy@2026');
  return { api: new Api(auth, { fetch: s.fetch }), calls: s.calls };
}

describe('registerPath', () => {
  it('names the blank sheet of a session and the record of a class', () => {
    expect(registerPath({ sessionId: 12 }, 'pdf')).toBe('/sessions/12/register.pdf');
    expect(registerPath({ classId: 7 }, 'xlsx')).toBe('/classes/7/register.xlsx');
  });
});

describe('fileNameOf', () => {
  it('prefers the UTF-8 name, then the ASCII one, then the fallback', () => {
    const h = `attachment; filename="So diem danh Lop ky nang so.pdf"; filename*=utf-8''S%E1%BB%95%20%C4%91i%E1%BB%83m%20danh%20L%E1%BB%9Bp%20k%E1%BB%B9%20n%C4%83ng%20s%E1%BB%91.pdf`;
    expect(fileNameOf(h, 'x.pdf')).toBe('Sổ điểm danh Lớp kỹ năng số.pdf');
    expect(fileNameOf('attachment; filename="So diem danh.pdf"', 'x.pdf')).toBe('So diem danh.pdf');
    expect(fileNameOf(`attachment; filename*=utf-8''%E0%A4%A`, 'x.pdf')).toBe('x.pdf');
    expect(fileNameOf(null, 'x.pdf')).toBe('x.pdf');
    expect(fileNameOf(`attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd`, 'x.pdf')).toBe('.. .. etc passwd');
  });
});

describe('Api.file', () => {
  it('downloads with the token and keeps the server’s Vietnamese name', async () => {
    const pdf = new Response(new Blob(['%PDF-1.7 …']), {
      status: 200,
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="Diem danh.pdf"; filename*=utf-8''%C4%90i%E1%BB%83m%20danh.pdf` },
    });
    const { api, calls } = await signedIn([pdf]);
    const f = await api.file('/sessions/12/register.pdf', 'fallback.pdf');
    expect(f.name).toBe('Điểm danh.pdf');
    expect(await f.blob.text()).toBe('%PDF-1.7 …');
    expect(calls[1].url).toBe('/api/v1/sessions/12/register.pdf');
    expect(calls[1].headers.authorization).toBe('Bearer A1');
  });

  it('turns a refusal into an ApiError', async () => {
    const { api } = await signedIn([json(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'class_not_found' })]);
    await expect(api.file('/classes/9/register.xlsx', 'x.xlsx')).rejects.toBeInstanceOf(ApiError);
  });
});

describe('register texts', () => {
  it('has every key in both languages and the labels the class page shows', () => {
    expect(Object.keys(registerMessages.en).sort()).toEqual(Object.keys(registerMessages.vi).sort());
    expect(registerMessages.vi['register.pdf']).toBe('In sổ điểm danh (PDF)');
    expect(registerMessages.vi['register.xlsx']).toBe('Tải Excel');
  });
});
