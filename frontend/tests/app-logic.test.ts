import { describe, expect, it } from 'vitest';
import { match } from '../src/lib/router.svelte';
import { allowedRoles, defaultRole, heldRoles, HOME, scopeOf } from '../src/lib/roles';
import { splitFieldErrors, errorText, formErrors } from '../src/lib/problems';
import { ApiError } from '../src/lib/errors';
import { fieldKey } from '../src/lib/csv';
import type { Grant } from '../src/lib/types';

const grant = (role: Grant['role'], id = 1): Grant => ({ id, role, scope_kind: 'centre', unit_id: null, unit_name: null, centre_id: 1, centre_name: 'TTHTCĐ phường Đoàn Kết' });

describe('router', () => {
  it('matches fixed and parameter segments', () => {
    expect(match('/nguoi/:id', '/nguoi/42')).toEqual({ id: '42' });
    expect(match('/nguoi/:id', '/nguoi/42/')).toEqual({ id: '42' });
    expect(match('/nguoi', '/nguoi/42')).toBeNull();
    expect(match('/quan-tri', '/quan-tri')).toEqual({});
    expect(match('/nguoi/moi', '/nguoi/nhap')).toBeNull();
  });
});

describe('roles', () => {
  it('lists held roles once, in a fixed order', () => {
    expect(heldRoles([grant('teacher', 1), grant('manager', 2), grant('teacher', 3)])).toEqual(['manager', 'teacher']);
  });

  it('starts in the remembered role when it is still held', () => {
    const gs = [grant('manager', 1), grant('teacher', 2)];
    expect(defaultRole(gs, 'teacher')).toBe('teacher');
    expect(defaultRole(gs, 'admin')).toBe('manager');
    expect(defaultRole(gs, null)).toBe('manager');
    expect(defaultRole([], null)).toBeNull();
  });

  it('lets only the right roles open each page', () => {
    expect(allowedRoles('/quan-tri')).toEqual(['admin']);
    expect(allowedRoles('/giao-vien')).toEqual(['teacher']);
    expect(allowedRoles('/nguoi/nhap')).toEqual(['admin', 'officer', 'manager']);
    expect(allowedRoles('/nguoi/12')).not.toContain('teacher');
    // The staff's course screens; the course page itself is for anyone signed in.
    for (const p of ['/khoa-hoc', '/khoa-hoc/moi', '/khoa-hoc/7/sua', '/thu-vien']) expect(allowedRoles(p)).toEqual(['admin', 'officer', 'manager', 'teacher']);
    expect(allowedRoles('/khoa-hoc/7')).toBeNull();
    // The class screens: the wizard for managers, the calendar, list and venues for staff; a class's page for anyone signed in.
    expect(allowedRoles('/lop-hoc/moi')).toEqual(['admin', 'manager']);
    for (const p of ['/lop-hoc', '/lop-hoc/lich', '/lop-hoc/dia-diem']) expect(allowedRoles(p)).toEqual(['admin', 'officer', 'manager', 'teacher']);
    expect(allowedRoles('/lop-hoc/12')).toBeNull();
    expect(allowedRoles('/tai-khoan')).toBeNull();
    expect(HOME.learner).toBe('/hoc-vien');
    expect(scopeOf('officer')).toBe('unit');
    expect(scopeOf('learner')).toBe('centre');
  });
});

describe('showing API errors', () => {
  const err = new ApiError(422, 'invalid', 'Dữ liệu không hợp lệ.', [
    { field: 'phone', code: 'phone_prefix', message: 'Đầu số điện thoại không hợp lệ.' },
    { field: 'birth_year', code: 'range', message: 'Năm sinh không hợp lệ.' },
    { field: 'unknown', code: 'x', message: 'Lỗi khác.' },
  ]);

  it('puts each message beside its field and keeps the rest', () => {
    // phone_prefix is a catalogued code, so its catalogue text wins over the server's literal.
    expect(splitFieldErrors(err, ['phone', 'birth'], { birth_year: 'birth' })).toEqual({
      byField: { phone: 'Số điện thoại phải là số di động Việt Nam, bắt đầu bằng 03, 05, 07, 08 hoặc 09.', birth: 'Năm sinh không hợp lệ.' },
      other: ['Lỗi khác.'],
    });
  });

  it('puts the general message at the top only when no field was named', () => {
    expect(formErrors(err, ['phone', 'birth'], { birth_year: 'birth' }).top).toEqual(['Lỗi khác.']);
    expect(formErrors(err, ['phone', 'birth', 'unknown'], { birth_year: 'birth' }).top).toEqual([]);
    expect(formErrors(new ApiError(409, 'conflict', 'Đã có.'), ['phone'])).toEqual({ byField: {}, top: ['Đã có.'] });
  });

  it('shows the server message, or the catalogue text when there is none', () => {
    expect(errorText(err)).toBe('Dữ liệu không hợp lệ.');
    expect(errorText(new ApiError(0, 'network', ''))).toBe('Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.');
    expect(errorText(new ApiError(503, 'unavailable', ''))).toBe('Máy chủ đang bận hoặc bảo trì. Hãy thử lại sau ít phút.');
    expect(errorText(new Error('boom'))).toBe('Đã có lỗi xảy ra. Hãy thử lại sau.');
  });

  it('names CSV columns in either language', () => {
    expect(fieldKey('so_dien_thoai')).toBe('person.phone');
    expect(fieldKey('phone')).toBe('person.phone');
    expect(fieldKey('')).toBe('import.wholeRow');
    expect(fieldKey('cot_la')).toBeNull();
  });
});
