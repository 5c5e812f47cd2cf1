// The class session page's and its files' strings in Vietnamese (the
// reference catalogue: English has the same keys).

export default {
  'session.back': 'Về trang chủ',
  'session.when': 'Thời gian',
  'session.where': 'Địa điểm',
  'session.online': 'Học trực tuyến',
  'session.join': 'Vào lớp trực tuyến',
  'session.teacher': 'Giáo viên',
  'session.noTeacher': 'Chưa phân công',
  'session.cancelled': 'Buổi học đã bị hủy: {reason}',
  'session.time': '{day}, {from}–{to}',
  'materials.title': 'Tài liệu buổi học',
  'materials.lead': 'Bài giảng, phiếu bài tập và tài liệu phát tay của buổi học.',
  'materials.none': 'Buổi học chưa có tài liệu.',
  'materials.noneEditable': 'Buổi học chưa có tài liệu. Tải bài giảng hoặc phiếu bài tập lên để học viên tải về.',
  'materials.forEnrolled': 'Tài liệu của buổi học dành cho học viên đã ghi danh lớp này.',
  'materials.hint': 'PDF, ảnh, âm thanh, video MP4/WebM, Word, Excel, PowerPoint. Video đến 1 GB, tệp khác đến 50 MB. Học viên đã ghi danh tải về được.',
} as const;
