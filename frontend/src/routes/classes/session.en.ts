// The class session page's and its files' strings in English (same keys as
// session.vi.ts).
import type vi from './session.vi';

const en: Record<keyof typeof vi, string> = {
  'session.back': 'Home',
  'session.when': 'Time',
  'session.where': 'Place',
  'session.online': 'Online',
  'session.join': 'Join the online class',
  'session.teacher': 'Teacher',
  'session.noTeacher': 'Not assigned yet',
  'session.cancelled': 'This session is cancelled: {reason}',
  'session.time': '{day}, {from}–{to}',
  'materials.title': 'Session files',
  'materials.lead': 'Slides, worksheets and handouts of this session.',
  'materials.none': 'This session has no files yet.',
  'materials.noneEditable': 'This session has no files yet. Upload the slides or a worksheet for the learners to download.',
  'materials.forEnrolled': 'The session files are for the learners enrolled in this class.',
  'materials.hint': 'PDF, images, audio, MP4/WebM video, Word, Excel, PowerPoint. Video up to 1 GB, other files up to 50 MB. Enrolled learners can download them.',
};

export default en;
