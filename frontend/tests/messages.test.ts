// Messages by code: every name the server can send (server-codes.json, written
// by `go test ./scripts/msgcodes -update` from domain/messages_vi.go) has an
// entry in both catalogues, and the UI renders keys and field codes with
// their params, falling back to the server's message.
import { afterEach, describe, expect, it } from 'vitest';
import vi from '../src/lib/i18n/vi';
import en from '../src/lib/i18n/en';
import codes from '../src/lib/i18n/server-codes.json';
import coursesMessages from '../src/lib/i18n/courses-messages';
import classesMessages from '../src/lib/i18n/classes-messages';
import { setLang } from '../src/lib/i18n/index.svelte';
import { ApiError, errorFromResponse } from '../src/lib/errors';
import { errorText, fieldText, splitFieldErrors } from '../src/lib/problems';

const interpolateEn = (key: string, p: Record<string, string>) => en[key as keyof typeof en].replace(/\{(\w+)\}/g, (_, n: string) => p[n]);
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
const server = codes as Record<string, { params: string[]; vi: string }>;
const generic = ['invalid', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'too_large', 'unavailable', 'internal'];

describe('server codes', () => {
  it('lists the catalogue (guards against an empty or stale file)', () => {
    expect(Object.keys(server).length).toBeGreaterThan(50);
    for (const g of generic) expect(server[g], g).toBeDefined();
  });

  it('has an err.<name> entry in vi.ts and en.ts for every name, with the same placeholders', () => {
    // The course codes' entries come with the course pages (courses-messages.ts).
    const cats: Record<string, Record<string, string>> = { vi: { ...vi, ...coursesMessages.vi }, en: { ...en, ...coursesMessages.en } };
    for (const [name, { params }] of Object.entries(server)) {
      for (const [lang, cat] of Object.entries(cats)) {
        const text = cat['err.' + name];
        expect(text, `${lang}: err.${name}`).toBeTypeOf('string');
        expect(placeholders(text), `${lang}: err.${name}`).toEqual(params);
      }
    }
  });

  it("words each specific entry in vi.ts as the server does", () => {
    const cat: Record<string, string> = { ...vi, ...coursesMessages.vi };
    for (const [name, { vi: text }] of Object.entries(server)) {
      if (!generic.includes(name)) expect(cat['err.' + name], name).toBe(text);
    }
  });
});

describe('messages that come with a lazy chunk', () => {
  it('are no second copy of a main entry, and have the same keys in both languages', () => {
    for (const k of Object.keys(coursesMessages.vi)) expect(k in vi, k).toBe(false);
    expect(Object.keys(coursesMessages.en).sort()).toEqual(Object.keys(coursesMessages.vi).sort());
  });

  it("the class screens' strings: no second copy of a main or course entry, the same keys and placeholders in both languages", () => {
    for (const k of Object.keys(classesMessages.vi)) {
      expect(k in vi, k).toBe(false);
      expect(k in coursesMessages.vi, k).toBe(false);
      expect(placeholders(classesMessages.en[k as keyof typeof classesMessages.en]), k).toEqual(placeholders(classesMessages.vi[k as keyof typeof classesMessages.vi]));
    }
    expect(Object.keys(classesMessages.en).sort()).toEqual(Object.keys(classesMessages.vi).sort());
  });

  it('are found by errorText once registered', async () => {
    const { addMessages } = await import('../src/lib/i18n/index.svelte');
    const e = new ApiError(409, 'conflict', 'server text', [], '', null, 'course_no_draft');
    addMessages(coursesMessages);
    await setLang('en');
    expect(errorText(e)).toBe(coursesMessages.en['err.course_no_draft']);
    await setLang('vi');
    expect(errorText(e)).toBe(coursesMessages.vi['err.course_no_draft']);
  });
});

describe('rendering errors by code', () => {
  afterEach(() => setLang('vi'));

  const body = {
    code: 'too_large',
    key: 'import_too_large',
    message: 'Tệp quá lớn (tối đa 10 MB); hãy chia thành nhiều tệp nhỏ hơn.',
    params: { max_mb: 10, junk: { no: 1 } },
    fields: [{ field: 'full_name', code: 'name_too_long', message: 'Họ và tên không được dài quá 100 ký tự.', params: { max: 100 } }],
  };
  const response = () => new Response(JSON.stringify(body), { status: 413, headers: { 'content-type': 'application/json' } });

  it('reads key and params from the body, keeping only strings and numbers', async () => {
    const err = await errorFromResponse(response());
    expect(err.key).toBe('import_too_large');
    expect(err.params).toEqual({ max_mb: 10 });
    expect(err.fields[0].params).toEqual({ max: 100 });
  });

  it('keeps the params as sent in detail (lists and objects too, e.g. a conflict\'s marks)', async () => {
    const err = await errorFromResponse(response());
    expect(err.detail).toEqual({ max_mb: 10, junk: { no: 1 } });
    const list = await errorFromResponse(new Response(JSON.stringify({ code: 'conflict', params: [1] }), { status: 409 }));
    expect(list.detail).toEqual([1]);
    const none = await errorFromResponse(new Response(JSON.stringify({ code: 'conflict' }), { status: 409 }));
    expect(none.detail).toBeNull();
  });

  it('renders the key and the field codes in English with their params', async () => {
    const err = await errorFromResponse(response());
    await setLang('en');
    expect(errorText(err)).toBe('The file is too large (at most 10 MB); split it into smaller files.');
    expect(splitFieldErrors(err, ['full_name']).byField.full_name).toBe('The full name may be at most 100 characters long.');
  });

  it('renders the same text as the server in Vietnamese', async () => {
    const err = await errorFromResponse(response());
    expect(errorText(err)).toBe(body.message);
    expect(fieldText(err.fields[0])).toBe(body.fields[0].message);
  });

  it("falls back to the server's message for an unknown key or an unfilled placeholder", async () => {
    await setLang('en');
    expect(errorText(new ApiError(404, 'not_found', 'Không thấy lớp học.', [], '', null, 'no_such_key_anywhere'))).toBe('Không thấy lớp học.');
    // An old site sends text_too_long with a literal message and no params.
    expect(fieldText({ code: 'text_too_long', message: 'Từ khóa tìm kiếm không được dài quá 100 ký tự.' })).toBe(
      'Từ khóa tìm kiếm không được dài quá 100 ký tự.',
    );
    expect(fieldText({ code: 'text_too_long', message: '', params: { max: 100 } })).toBe('The text may be at most 100 characters long.');
  });

  it("prefers the server's message to a generic code used as a field code", async () => {
    await setLang('en');
    expect(fieldText({ code: 'invalid', message: 'Cụ thể.' })).toBe('Cụ thể.');
    expect(fieldText({ code: 'invalid', message: '' })).toBe(en['err.invalid']);
  });

  it('renders an import row error from its code and params', async () => {
    await setLang('en');
    const row = { row: 10, field: 'phone', code: 'duplicate_in_file', message: 'Dòng này trùng với dòng 4 của tệp.', params: { first: 4 } };
    expect(fieldText(row)).toBe('This row repeats row 4 of the file.');
    expect(fieldText({ code: 'csv_syntax', message: 'Dòng 7 sai định dạng CSV (dấu ngoặc kép không khớp?).', params: { row: 7 } })).toBe(
      interpolateEn('err.csv_syntax', { row: '7' }),
    );
    await setLang('vi');
    expect(fieldText(row)).toBe('Dòng này trùng với dòng 4 của tệp.');
  });

  it('renders a generic key in the chosen language', async () => {
    await setLang('en');
    expect(errorText(new ApiError(500, 'internal', 'Đã có lỗi trong hệ thống.', [], '', null, 'internal'))).toBe(en['err.internal']);
  });
});
