// The calendar-sync screen's own strings (Vietnamese first, English too),
// in its lazy chunk rather than the first load's catalogue; ft() follows the
// app's language like t() does.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';

// The feed codes' error messages live with the other lazy-chunk codes (courses-messages.ts).
addMessages(coursesMessages);

const vi = {
  lead: 'Đưa lịch học, lịch dạy vào lịch trên điện thoại (Google Calendar, lịch iPhone, Outlook). Lịch tự cập nhật khi buổi học đổi giờ, đổi địa điểm hay bị huỷ.',
  newTitle: 'Tạo liên kết mới',
  kind: 'Lịch của',
  'kind.learner': 'Lịch học của tôi',
  'kind.teacher': 'Lịch dạy của giáo viên',
  'kind.class': 'Một lớp học',
  'kind.venue': 'Một địa điểm',
  'kind.learner.short': 'Lịch học',
  'kind.teacher.short': 'Lịch dạy',
  'kind.class.short': 'Lớp',
  'kind.venue.short': 'Địa điểm',
  subject: 'Chọn',
  subjectChoose: '— Chọn —',
  subjectMe: 'Tôi ({name})',
  subjectId: 'Mục số {id}',
  subjectNone: 'Không có mục nào để chọn.',
  create: 'Tạo liên kết',
  creating: 'Đang tạo…',
  createdTitle: 'Liên kết lịch mới',
  createdOnce: 'Hãy sao chép ngay: địa chỉ này chỉ hiện một lần. Ai có địa chỉ này đều xem được lịch, đừng chia sẻ công khai.',
  https: 'Địa chỉ https (Google Calendar, Outlook)',
  webcal: 'Địa chỉ webcal:// (iPhone, máy Mac)',
  copy: 'Sao chép',
  copied: 'Đã sao chép',
  copyFailed: 'Không sao chép được, hãy chọn và sao chép thủ công.',
  openWebcal: 'Mở trong ứng dụng lịch',
  done: 'Xong',
  mine: 'Liên kết của tôi',
  none: 'Bạn chưa có liên kết lịch nào.',
  created: 'Tạo lúc {at}',
  fetched: 'Ứng dụng lịch đọc lần cuối: {at}',
  neverFetched: 'Chưa có ứng dụng lịch nào đọc.',
  hiddenUrl: 'Địa chỉ chỉ hiện lúc tạo. Mất địa chỉ thì thu hồi và tạo liên kết mới.',
  revoke: 'Thu hồi',
  revokeConfirm: 'Thu hồi liên kết "{name}"? Các ứng dụng lịch đang dùng nó sẽ không cập nhật được nữa.',
  revokeYes: 'Thu hồi liên kết',
  cancel: 'Không',
  revoked: 'Đã thu hồi liên kết.',
  help: 'Cách thêm vào ứng dụng lịch',
  'help.google': 'Google Calendar (Android, máy tính)',
  'help.google.text': 'Trên máy tính, mở calendar.google.com → Cài đặt → Thêm lịch → Từ URL → dán địa chỉ https → Thêm lịch. Lịch sẽ hiện trên điện thoại Android đăng nhập cùng tài khoản (Google tự cập nhật vài giờ một lần).',
  'help.apple': 'iPhone, iPad (Lịch của Apple)',
  'help.apple.text': 'Bấm "Mở trong ứng dụng lịch" rồi chọn Đăng ký. Hoặc: Cài đặt → Lịch → Tài khoản → Thêm tài khoản → Khác → Thêm lịch đã đăng ký → dán địa chỉ.',
  'help.outlook': 'Outlook',
  'help.outlook.text': 'Mở Outlook trên web → Lịch → Thêm lịch → Đăng ký từ web → dán địa chỉ https → Nhập.',
} as const;

export type FeedKey = keyof typeof vi;

const en: Record<FeedKey, string> = {
  lead: 'Put your class and teaching schedule into the calendar on your phone (Google Calendar, iPhone, Outlook). It updates itself when a session moves, changes place or is cancelled.',
  newTitle: 'Make a new link',
  kind: 'Calendar of',
  'kind.learner': 'My classes (as a learner)',
  'kind.teacher': 'A teacher\'s sessions',
  'kind.class': 'One class',
  'kind.venue': 'One venue',
  'kind.learner.short': 'Learner',
  'kind.teacher.short': 'Teacher',
  'kind.class.short': 'Class',
  'kind.venue.short': 'Venue',
  subject: 'Choose',
  subjectChoose: '— Choose —',
  subjectMe: 'Me ({name})',
  subjectId: 'Item no. {id}',
  subjectNone: 'Nothing to choose.',
  create: 'Make the link',
  creating: 'Making…',
  createdTitle: 'Your new calendar link',
  createdOnce: 'Copy it now: this address is shown only once. Whoever has it can see the calendar; do not share it publicly.',
  https: 'https address (Google Calendar, Outlook)',
  webcal: 'webcal:// address (iPhone, Mac)',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Could not copy; select the address and copy it by hand.',
  openWebcal: 'Open in the calendar app',
  done: 'Done',
  mine: 'My links',
  none: 'You have no calendar link yet.',
  created: 'Made {at}',
  fetched: 'Last read by a calendar app: {at}',
  neverFetched: 'No calendar app has read it yet.',
  hiddenUrl: 'The address is shown only when made. If you lost it, revoke the link and make a new one.',
  revoke: 'Revoke',
  revokeConfirm: 'Revoke the link "{name}"? Calendar apps using it will stop updating.',
  revokeYes: 'Revoke the link',
  cancel: 'No',
  revoked: 'The link was revoked.',
  help: 'How to add it to a calendar app',
  'help.google': 'Google Calendar (Android, computer)',
  'help.google.text': 'On a computer, open calendar.google.com → Settings → Add calendar → From URL → paste the https address → Add calendar. It then shows on Android phones signed in to the same account (Google refreshes it every few hours).',
  'help.apple': 'iPhone, iPad (Apple Calendar)',
  'help.apple.text': 'Tap "Open in the calendar app" and choose Subscribe. Or: Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar → paste the address.',
  'help.outlook': 'Outlook',
  'help.outlook.text': 'Open Outlook on the web → Calendar → Add calendar → Subscribe from web → paste the https address → Import.',
};

/** The screen's text for key in the current language, with {placeholders} filled. */
export function ft(key: FeedKey, params?: Params): string {
  return interpolate((i18n.lang === 'en' ? en : vi)[key] ?? key, params);
}
