// The attendance screens' strings, Vietnamese first, English too; they come
// with these pages' lazy chunk, never in the first visit.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';
import { statusWords, statusButtons } from './statusWords';

// The attendance codes' messages (err.attendance_*) come with these pages.
addMessages(coursesMessages);

const vi = {
  ...statusWords.vi,
  ...statusButtons.vi,
  'title': 'Điểm danh',
  'lead': 'Các buổi dạy trong tuần này. Điểm danh được lưu trên điện thoại và tự gửi khi có mạng.',
  'today': 'Hôm nay',
  'noToday': 'Hôm nay bạn không có buổi dạy nào.',
  'week': 'Các ngày khác trong tuần',
  'noWeek': 'Những ngày khác trong tuần này không có buổi dạy.',
  'open': 'Điểm danh',
  'openOf': '{label}: {title}, {time}',
  'future': 'Chưa đến ngày',
  'cancelled': 'Đã hủy',
  'online': 'Trực tuyến',
  'noVenue': 'Chưa xếp địa điểm',
  'fromCache': 'Không có mạng: đang dùng dữ liệu đã lưu lúc {time}.',
  'noCache': 'Không có mạng và chưa có dữ liệu lưu trên máy. Hãy mở trang này một lần khi có mạng.',
  'back': 'Các buổi dạy',
  'sync.waiting': '{n} điểm danh đang chờ gửi',
  'sync.none': 'Đã gửi hết điểm danh',
  'sync.last': 'Lần gửi gần nhất: {time}',
  'sync.never': 'Chưa gửi lần nào từ máy này',
  'sync.offline': 'Không có mạng: điểm danh được giữ trên máy và tự gửi khi có mạng trở lại.',
  'sync.sending': 'Đang gửi…',
  'sync.now': 'Gửi ngay',
  'sync.refused': '{n} điểm danh không được nhận: {reason}',
  'sync.dismiss': 'Đã hiểu',
  'roster.allPresent': 'Tất cả có mặt',
  'roster.allPresentHint': 'Đánh dấu có mặt cho những học viên chưa điểm danh, rồi chọn những trường hợp khác.',
  'roster.empty': 'Lớp chưa có học viên.',
  'roster.count': '{marked}/{total} học viên đã điểm danh',
  'roster.readOnly': 'Bạn chỉ xem được điểm danh của buổi này.',
  'roster.futureNote': 'Buổi học chưa đến ngày: chỉ điểm danh được buổi của hôm nay hoặc đã qua.',
  'roster.cancelledNote': 'Buổi học này đã hủy.',
  'roster.note': 'Ghi chú',
  'roster.noteOf': 'Ghi chú cho {name}',
  'roster.saveNote': 'Lưu ghi chú',
  'roster.waiting': 'Chờ gửi',
  'roster.by': '{name}, {time}',
  'roster.statusOf': '{status}: {name}',
  'source.checkin': 'Tự điểm danh',
  'source.online': 'Trực tuyến',
  'source.system': 'Đèn Sách tự ghi từ dữ liệu học trực tuyến',
  'conflict.title': 'Điểm danh bị sửa trong lúc bạn làm',
  'conflict.body': '{who} đã ghi {name} là “{current}” lúc {time}; bạn ghi “{mine}”. Hiện đang áp dụng: “{current}”.',
  'conflict.someone': 'Người khác',
  'conflict.mine': 'Áp dụng lại điểm danh của tôi',
  'conflict.theirs': 'Giữ như hiện tại',
  'conflict.note': 'ghi chú: {note}',
} as const;

export type OfflineAttendanceKey = keyof typeof vi;

const en: Record<OfflineAttendanceKey, string> = {
  ...statusWords.en,
  ...statusButtons.en,
  'title': 'Attendance',
  'lead': 'Your sessions this week. Marks are kept on the phone and sent by themselves when there is a connection.',
  'today': 'Today',
  'noToday': 'You have no session to teach today.',
  'week': 'Other days this week',
  'noWeek': 'No sessions on the other days of this week.',
  'open': 'Take attendance',
  'openOf': '{label}: {title}, {time}',
  'future': 'Not due yet',
  'cancelled': 'Cancelled',
  'online': 'Online',
  'noVenue': 'No venue yet',
  'fromCache': 'No connection: showing what was saved at {time}.',
  'noCache': 'No connection and nothing saved on this device yet. Open this page once while online.',
  'back': 'My sessions',
  'sync.waiting': '{n} marks waiting to send',
  'sync.none': 'All marks sent',
  'sync.last': 'Last sent: {time}',
  'sync.never': 'Nothing sent from this device yet',
  'sync.offline': 'No connection: marks are kept on the phone and sent when the connection returns.',
  'sync.sending': 'Sending…',
  'sync.now': 'Send now',
  'sync.refused': '{n} marks were not accepted: {reason}',
  'sync.dismiss': 'OK',
  'roster.allPresent': 'All present',
  'roster.allPresentHint': 'Marks every learner not marked yet as present; then pick the exceptions.',
  'roster.empty': 'The class has no learners yet.',
  'roster.count': '{marked}/{total} learners marked',
  'roster.readOnly': 'You can only view the attendance of this session.',
  'roster.futureNote': 'The session is not due yet: only today\'s and past sessions can be marked.',
  'roster.cancelledNote': 'This session is cancelled.',
  'roster.note': 'Note',
  'roster.noteOf': 'Note for {name}',
  'roster.saveNote': 'Save the note',
  'roster.waiting': 'Waiting',
  'roster.by': '{name}, {time}',
  'roster.statusOf': '{status}: {name}',
  'source.checkin': 'Self check-in',
  'source.online': 'Online',
  'source.system': 'Recorded by Đèn Sách from online learning',
  'conflict.title': 'A mark was changed while you worked',
  'conflict.body': '{who} marked {name} “{current}” at {time}; you marked “{mine}”. Now in force: “{current}”.',
  'conflict.someone': 'Someone else',
  'conflict.mine': 'Apply my mark again',
  'conflict.theirs': 'Keep it as it is',
  'conflict.note': 'note: {note}',
};

/** The attendance pages' text for key in the current language, with {placeholders} filled. */
export function at(key: OfflineAttendanceKey, params?: Params): string {
  return interpolate((i18n.lang === 'en' ? en : vi)[key] ?? key, params);
}
