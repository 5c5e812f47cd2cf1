// The sessions a refused booking (409 session_conflict) names in
// params.sessions, as lines for the screen: the class in the way, when, and
// whether the venue or the teacher is taken.

import { ApiError } from '../../lib/errors';
import { formatDateTime, formatTime } from '../../lib/format';
import { tl } from './i18n';

interface Booked {
  class_title: string;
  starts_at: string;
  ends_at: string;
  resource: string;
}

function isBooked(v: unknown): v is Booked {
  const b = v as Booked;
  return !!b && typeof b.class_title === 'string' && typeof b.starts_at === 'string' && typeof b.ends_at === 'string';
}

/** The lines naming the sessions in the way, or [] for another error. */
export function conflictLines(e: unknown): string[] {
  if (!(e instanceof ApiError) || e.key !== 'session_conflict') return [];
  const list = (e.detail as { sessions?: unknown } | null)?.sessions;
  if (!Array.isArray(list)) return [];
  return list.filter(isBooked).map((b) =>
    tl('cp.conflict', {
      class: b.class_title,
      when: `${formatTime(b.starts_at)}–${formatTime(b.ends_at)} ${formatDateTime(b.starts_at).split(' ')[1] ?? ''}`.trim(),
      resource: tl(b.resource === 'teacher' ? 'cp.resource.teacher' : 'cp.resource.venue'),
    }),
  );
}
