// The shared upload's strings in Vietnamese (the reference catalogue): the
// course editor and the class sessions' files use the same upload component.

export default {
  'upload.choose': 'Tải tệp lên',
  'upload.hint': 'PDF, ảnh, âm thanh, video MP4/WebM, Word, Excel, PowerPoint. Video đến 1 GB, tệp khác đến 50 MB.',
  'upload.asking': 'Đang kiểm tra dung lượng còn lại…',
  'upload.progress': 'Tiến độ tải lên {name}',
  'upload.sent': 'Đã gửi {sent} / {total}',
  'upload.cancel': 'Hủy tải lên',
  'upload.cancelled': 'Đã hủy tải lên.',
  'upload.checking': 'Đang kiểm tra tệp…',
  'upload.done': 'Đã tải lên «{name}» ({size}).',
  'upload.failed': 'Tải lên không thành công. Hãy kiểm tra kết nối và thử lại.',
  'upload.tooLarge': 'Tệp lớn hơn mức cho phép.',
  'upload.expired': 'Phiên tải lên đã hết hạn. Hãy chọn lại tệp.',
  'upload.types': 'PDF, ảnh, âm thanh, video MP4/WebM, Word, Excel, PowerPoint.',
  'files.download': 'Tải về',
  'files.open': 'Mở',
  'files.downloadName': 'Tải về {name}',
  'files.openName': 'Mở {name}',
  'files.delete': 'Xóa',
  'files.deleteName': 'Xóa tệp {name}',
  'files.confirmDelete': 'Xóa tệp «{name}»? Học viên sẽ không tải về được nữa.',
  'files.deleted': 'Đã xóa «{name}».',
} as const;
