// The paper registers' links (RegisterLinks.svelte), Vietnamese first,
// English too; follows the app's language like t() does.

import { i18n } from '../../lib/i18n/index.svelte';
import { interpolate, type Params } from '../../lib/i18n/translate';

const vi = {
  'register.pdf': 'In sổ điểm danh (PDF)',
  'register.xlsx': 'Tải Excel',
  'register.busy': 'Đang tạo tệp…',
  'register.classHint': 'Sổ điểm danh đã ghi: học viên × buổi học, ký hiệu điểm danh, tỉ lệ chuyên cần, chỗ ký xác nhận.',
  'register.sessionHint': 'Danh sách trống để in trước buổi học: tên học viên theo thứ tự, cột có mặt, ghi chú và chữ ký.',
  'register.label': 'Sổ điểm danh',
  'register.fileClass': 'so-diem-danh-lop-{id}.{ext}',
  'register.fileSession': 'diem-danh-buoi-{id}.{ext}',
  'page.back': 'Trang chủ',
  'page.class': 'Cả lớp',
  'page.sessions': 'Từng buổi học (danh sách trống để in)',
  'page.noSessions': 'Lớp chưa có buổi học nào.',
  'page.session': 'Buổi {n}: {day}, {from}–{to}',
  'page.cancelled': 'đã huỷ',
};

const en: Record<keyof typeof vi, string> = {
  'register.pdf': 'Print the register (PDF)',
  'register.xlsx': 'Download Excel',
  'register.busy': 'Preparing the file…',
  'register.classHint': 'The filled register: learners × sessions, marks, attendance rates, room for signatures.',
  'register.sessionHint': 'A blank sheet to print before the session: learners in order, present, note and signature columns.',
  'register.label': 'Attendance register',
  'register.fileClass': 'class-{id}-register.{ext}',
  'register.fileSession': 'session-{id}-register.{ext}',
  'page.back': 'Home',
  'page.class': 'Whole class',
  'page.sessions': 'Each session (blank sheet to print)',
  'page.noSessions': 'The class has no sessions yet.',
  'page.session': 'Session {n}: {day}, {from}–{to}',
  'page.cancelled': 'cancelled',
};

export type RKey = keyof typeof vi;

const catalogues: Record<string, Record<RKey, string>> = { vi, en };

/** The register links' text for key in the current language. */
export function rt(key: RKey, params?: Params): string {
  return interpolate(catalogues[i18n.lang]?.[key] ?? vi[key] ?? key, params);
}

export const registerMessages = { vi, en };
