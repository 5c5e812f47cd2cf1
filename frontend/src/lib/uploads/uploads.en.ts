// The shared upload's strings in English (same keys as uploads.vi.ts).
import type vi from './uploads.vi';

const en: Record<keyof typeof vi, string> = {
  'upload.choose': 'Upload a file',
  'upload.hint': 'PDF, images, audio, MP4/WebM video, Word, Excel, PowerPoint. Video up to 1 GB, other files up to 50 MB.',
  'upload.asking': 'Checking the space left…',
  'upload.progress': 'Upload progress of {name}',
  'upload.sent': '{sent} of {total} sent',
  'upload.cancel': 'Cancel upload',
  'upload.cancelled': 'Upload cancelled.',
  'upload.checking': 'Checking the file…',
  'upload.done': 'Uploaded “{name}” ({size}).',
  'upload.failed': 'The upload failed. Check the connection and try again.',
  'upload.tooLarge': 'The file is larger than allowed.',
  'upload.expired': 'The upload session expired. Choose the file again.',
  'upload.types': 'PDF, images, audio, MP4/WebM video, Word, Excel, PowerPoint.',
  'files.download': 'Download',
  'files.open': 'Open',
  'files.downloadName': 'Download {name}',
  'files.openName': 'Open {name}',
  'files.delete': 'Delete',
  'files.deleteName': 'Delete the file {name}',
  'files.confirmDelete': 'Delete the file “{name}”? Learners will no longer be able to download it.',
  'files.deleted': 'Deleted “{name}”.',
};

export default en;
