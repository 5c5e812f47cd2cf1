// The attendance statuses' names: one vocabulary for every screen that
// shows them (the class grid, the teacher's register, self check-in, a
// learner's own attendance), spread into each screen's catalogue as
// `status.*`. A sentence or a label always uses these names. The register's
// four buttons sit side by side on a 360 px phone and use the compact
// `button.*` forms instead (their accessible name is the full one).

export const statusWords = {
  vi: {
    'status.present': 'Có mặt',
    'status.late': 'Đi muộn',
    'status.excused': 'Vắng có phép',
    'status.absent': 'Vắng',
  },
  en: {
    'status.present': 'Present',
    'status.late': 'Late',
    'status.excused': 'Excused',
    'status.absent': 'Absent',
  },
} as const;

export const statusButtons = {
  vi: {
    'button.present': 'Có mặt',
    'button.late': 'Đi muộn',
    'button.excused': 'Có phép',
    'button.absent': 'Vắng',
  },
  en: {
    'button.present': 'Present',
    'button.late': 'Late',
    'button.excused': 'Excused',
    'button.absent': 'Absent',
  },
} as const;
