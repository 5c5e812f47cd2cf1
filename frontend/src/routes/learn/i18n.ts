// The learner's online path (my courses, the player): its own strings,
// Vietnamese first, English too. Like the course screens' ct(), they live in
// the lazy chunks of these pages, never in the first visit's vi.ts and en.ts.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';

// The enrolment and progress codes' messages come with these pages.
addMessages(coursesMessages);

const vi = {
  'my.title': 'Khóa học của tôi',
  'my.empty': 'Bạn chưa ghi danh khóa học trực tuyến nào.',
  'my.find': 'Tìm khóa học',
  'my.continue': 'Học tiếp',
  'my.start': 'Bắt đầu học',
  'my.review': 'Xem lại',
  'my.percent': 'Đã học {n}%',
  'my.lessons': '{done}/{total} bài bắt buộc',
  'my.done': 'Đã hoàn thành',
  'my.withdrawn': 'Đã rút',
  'my.progressOf': 'Tiến độ khóa học {title}',
  'player.back': 'Khóa học của tôi',
  'player.outline': 'Các bài học',
  'player.showOutline': 'Danh sách bài ({done}/{total})',
  'player.hideOutline': 'Ẩn danh sách bài',
  'player.module': 'Phần {n}: {title}',
  'player.done': 'Đã xong',
  'player.locked': 'Chưa mở: học xong các bài trước',
  'player.lockedLesson': 'Bài này chưa mở. Hãy học xong các bài bắt buộc phía trước.',
  'player.current': 'Đang học',
  'player.prev': 'Bài trước',
  'player.next': 'Bài tiếp',
  'player.lessonOf': 'Bài {n}/{total}',
  'player.percent': 'Đã học {n}%',
  'player.markDone': 'Đánh dấu đã học xong',
  'player.marked': 'Bạn đã học xong bài này.',
  'player.videoWatched': 'Đã xem {n}% video',
  'player.videoRule': 'Xem ít nhất 90% video để hoàn thành bài (tua qua không tính).',
  'player.resumeAt': 'Xem tiếp từ {time}',
  'player.dataSaver': 'Tiết kiệm dữ liệu: hỏi trước khi tải video',
  'player.loadVideo': 'Tải video ({size})',
  'player.loadVideoNoSize': 'Tải video',
  'player.videoAsk': 'Video chưa được tải để tiết kiệm dữ liệu di động.',
  'player.quiz': 'Làm bài kiểm tra',
  'player.quizPassed': 'Bạn đã làm đạt bài kiểm tra.',
  'player.quizHint': 'Bài kiểm tra được chấm trên máy chủ; làm đạt thì bài này hoàn thành.',
  'player.linkHint': 'Trang này mở trong cửa sổ mới. Đọc xong, hãy quay lại và đánh dấu đã học xong.',
  'player.docHint': 'Xem hoặc tải tài liệu, rồi đánh dấu đã học xong.',
  'player.saved': 'Tiến độ đã lưu trên máy này, sẽ gửi khi có mạng.',
  'player.pending': 'Đang chờ gửi {n} cập nhật tiến độ.',
  'player.finished': 'Chúc mừng! Bạn đã hoàn thành khóa học.',
  'player.notFound': 'Không tìm thấy lượt ghi danh này.',
  'player.withdrawn': 'Bạn đã rút khỏi khóa học này; tiến độ không còn được ghi.',
} as const;

export type LearnKey = keyof typeof vi;

const en: Record<LearnKey, string> = {
  'my.title': 'My courses',
  'my.empty': 'You are not enrolled in any online course yet.',
  'my.find': 'Find a course',
  'my.continue': 'Continue',
  'my.start': 'Start',
  'my.review': 'Review',
  'my.percent': '{n}% done',
  'my.lessons': '{done}/{total} required lessons',
  'my.done': 'Completed',
  'my.withdrawn': 'Withdrawn',
  'my.progressOf': 'Progress in {title}',
  'player.back': 'My courses',
  'player.outline': 'Lessons',
  'player.showOutline': 'Lesson list ({done}/{total})',
  'player.hideOutline': 'Hide the lesson list',
  'player.module': 'Part {n}: {title}',
  'player.done': 'Done',
  'player.locked': 'Locked: finish the lessons before it',
  'player.lockedLesson': 'This lesson is locked. Finish the required lessons before it first.',
  'player.current': 'Current',
  'player.prev': 'Previous',
  'player.next': 'Next',
  'player.lessonOf': 'Lesson {n} of {total}',
  'player.percent': '{n}% done',
  'player.markDone': 'Mark as done',
  'player.marked': 'You have finished this lesson.',
  'player.videoWatched': '{n}% of the video watched',
  'player.videoRule': 'Watch at least 90% of the video to finish the lesson (skipping ahead does not count).',
  'player.resumeAt': 'Resume from {time}',
  'player.dataSaver': 'Data saver: ask before loading videos',
  'player.loadVideo': 'Load the video ({size})',
  'player.loadVideoNoSize': 'Load the video',
  'player.videoAsk': 'The video is not loaded, to save mobile data.',
  'player.quiz': 'Take the quiz',
  'player.quizPassed': 'You have passed the quiz.',
  'player.quizHint': 'The quiz is scored on the server; passing it finishes this lesson.',
  'player.linkHint': 'The page opens in a new window. When you have read it, come back and mark it done.',
  'player.docHint': 'View or download the document, then mark it done.',
  'player.saved': 'Progress saved on this device; it will be sent when you are online.',
  'player.pending': '{n} progress updates waiting to be sent.',
  'player.finished': 'Congratulations! You have completed the course.',
  'player.notFound': 'Enrolment not found.',
  'player.withdrawn': 'You have withdrawn from this course; progress is no longer recorded.',
};

/** The learner pages' text for key in the current language, with {placeholders} filled. */
export function lt(key: LearnKey, params?: Params): string {
  return interpolate((i18n.lang === 'en' ? en : vi)[key] ?? key, params);
}
