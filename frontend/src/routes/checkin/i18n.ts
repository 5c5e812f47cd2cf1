// The check-in pages' strings (the teacher's code screen, the learner's
// check-in), Vietnamese first, English too; they come with these pages'
// lazy chunk, never in the first visit.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';
import { statusWords } from '../attendance/statusWords';

// The check-in codes' server messages (err.checkin_*) come with these pages.
addMessages(coursesMessages);

const vi = {
  ...statusWords.vi,
  'code.title': 'Điểm danh bằng mã',
  'code.lead': 'Học viên quét mã QR bằng camera điện thoại, hoặc mở trang Điểm danh và nhập mã bên dưới.',
  'code.qr': 'Mã QR để điểm danh buổi học {title}',
  'code.short': 'Mã điểm danh',
  'code.next': 'Mã mới sau {n} giây',
  'code.count': 'Đã điểm danh: {n}/{total}',
  'code.none': 'Chưa có học viên nào điểm danh bằng mã.',
  'code.list': 'Học viên đã điểm danh',
  'code.at': 'lúc {time}',
  'code.where': 'Học viên vào: {url}',
  'code.correct': 'Xem và sửa điểm danh của buổi',
  'code.correctHint': 'Điểm danh bằng mã hiện trong danh sách của buổi với nguồn «tự điểm danh»; bạn có thể xác nhận hoặc sửa.',
  'code.stale': 'Mất kết nối: mã trên màn hình có thể đã cũ. Đang thử lại…',
  'code.window': 'Nhận điểm danh từ {from} đến {to}; sau {late} ghi là đi muộn.',
  'code.loadingQr': 'Đang vẽ mã QR…',
  'in.lead': 'Nhập mã đang hiện trên điện thoại của giáo viên (8 chữ và số), hoặc quét mã QR bằng camera.',
  'in.code': 'Mã điểm danh',
  'in.hint': 'Ví dụ: 7KQ2-M9XD. Không phân biệt chữ hoa, chữ thường.',
  'in.submit': 'Điểm danh',
  'in.sending': 'Đang gửi…',
  'in.prefilled': 'Mã đã được điền sẵn từ mã QR. Bấm «Điểm danh» để xác nhận.',
  'in.ok': 'Đã điểm danh: {status}',
  'in.already': 'Bạn đã được điểm danh cho buổi này rồi: {status}.',
  'in.byTeacher': 'Giáo viên đã điểm danh bạn cho buổi này: {status}.',
  'in.session': '{title} · {time}',
  'in.again': 'Điểm danh buổi khác',
  'in.schedule': 'Xem lịch học của tôi',
} as const;

export type CheckinKey = keyof typeof vi;

const en: Record<CheckinKey, string> = {
  ...statusWords.en,
  'code.title': 'Check-in code',
  'code.lead': 'Learners scan the QR code with their phone camera, or open the Check in page and type the code below.',
  'code.qr': 'QR code to check in to {title}',
  'code.short': 'Check-in code',
  'code.next': 'New code in {n} s',
  'code.count': 'Checked in: {n}/{total}',
  'code.none': 'No learner has checked in with the code yet.',
  'code.list': 'Learners checked in',
  'code.at': 'at {time}',
  'code.where': 'Learners go to: {url}',
  'code.correct': 'See and correct the session’s attendance',
  'code.correctHint': 'Check-ins appear in the session’s register as “self check-in”; you can confirm or correct them.',
  'code.stale': 'Connection lost: the code on screen may be out of date. Retrying…',
  'code.window': 'Check-in open from {from} to {to}; after {late} it counts as late.',
  'code.loadingQr': 'Drawing the QR code…',
  'in.lead': 'Type the code shown on the teacher’s phone (8 letters and digits), or scan the QR code with your camera.',
  'in.code': 'Check-in code',
  'in.hint': 'For example: 7KQ2-M9XD. Upper or lower case, either works.',
  'in.submit': 'Check in',
  'in.sending': 'Sending…',
  'in.prefilled': 'The code was filled in from the QR code. Tap “Check in” to confirm.',
  'in.ok': 'Checked in: {status}',
  'in.already': 'You were already checked in for this session: {status}.',
  'in.byTeacher': 'The teacher has already marked you for this session: {status}.',
  'in.session': '{title} · {time}',
  'in.again': 'Check in to another session',
  'in.schedule': 'See my schedule',
};

/** The check-in pages' text for key in the current language, with {placeholders} filled. */
export function ct(key: CheckinKey, params?: Params): string {
  return interpolate((i18n.lang === 'en' ? en : vi)[key] ?? key, params);
}

/** A mark's status in words. */
export function statusText(s: string): string {
  const k = ('status.' + s) as CheckinKey;
  return k in vi ? ct(k) : s;
}

/** A code shown as two groups of four: 7KQ2 M9XD. */
export function groupCode(code: string): string {
  return code.length === 8 ? code.slice(0, 4) + ' ' + code.slice(4) : code;
}
