// The schedule pages' links and refusals: the calendar feed page filled in for
// me, the class page, only http(s) meeting links followed, and the learner's
// own words for the codes met when enrolling themself.
import { describe, expect, it } from 'vitest';
import { classHref, feedHref, meetingHref } from '../src/routes/schedule/links';
import { enrolErrorText } from '../src/routes/schedule/enrolErrors';
import { ApiError } from '../src/lib/errors';
import { setLang } from '../src/lib/i18n/index.svelte';

describe('links', () => {
  it('points at the calendar feed page and the class page', () => {
    expect(feedHref('teacher', 42)).toBe('/lich/dong-bo?kind=teacher&subject=42');
    expect(feedHref('learner', 7)).toBe('/lich/dong-bo?kind=learner&subject=7');
    expect(classHref(9)).toBe('/lop-hoc/9');
  });
  it('follows only http(s) meeting links', () => {
    expect(meetingHref('https://meet.jit.si/lop-5')).toBe('https://meet.jit.si/lop-5');
    expect(meetingHref('http://zoom.example/j/1')).toBe('http://zoom.example/j/1');
    expect(meetingHref('javascript:alert(1)')).toBeNull();
    expect(meetingHref('meet.jit.si/lop')).toBeNull();
    expect(meetingHref('')).toBeNull();
    expect(meetingHref(null)).toBeNull();
  });
});

describe('enrolErrorText', () => {
  const err = (status: number, key: string, message = 'Thông điệp của máy chủ.') => new ApiError(status, status === 409 ? 'conflict' : 'invalid', message, [], '', null, key);

  it('says the codes of a self-enrolment in the learner’s words, in Vietnamese and English', async () => {
    await setLang('vi');
    expect(enrolErrorText(err(409, 'enrolment_exists'))).toBe('Bạn đã ghi danh lớp này rồi.');
    expect(enrolErrorText(err(409, 'enrolment_window_closed'))).toBe('Lớp này không trong thời gian nhận ghi danh.');
    expect(enrolErrorText(err(409, 'class_closed'))).toBe('Lớp này không còn nhận ghi danh.');
    await setLang('en');
    expect(enrolErrorText(err(409, 'enrolment_exists'))).toBe('You are already enrolled in this class.');
    await setLang('vi');
  });
  it('finds the code among the field errors too, and leaves other errors to the catalogue or the server', () => {
    const field = new ApiError(422, 'invalid', '', [{ field: 'class_id', code: 'class_closed', message: '', params: {} }]);
    expect(enrolErrorText(field)).toBe('Lớp này không còn nhận ghi danh.');
    expect(enrolErrorText(err(403, 'something_else', 'Bạn không được ghi danh lớp này.'))).toBe('Bạn không được ghi danh lớp này.');
    expect(enrolErrorText(new ApiError(0, 'network', ''))).toMatch(/Không kết nối được máy chủ/);
  });
});
