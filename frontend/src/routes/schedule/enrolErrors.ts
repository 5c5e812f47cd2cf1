// A refused enrolment in the learner's own words: the codes a learner meets
// when enrolling themself get a sentence about "you"; others as the catalogue says.

import { ApiError } from '../../lib/errors';
import { errorText } from '../../lib/problems';
import { st, type ScheduleKey } from './i18n';

const mine: Record<string, ScheduleKey> = {
  enrolment_exists: 'open.errExists',
  enrolment_window_closed: 'open.errWindow',
  class_closed: 'open.errClosed',
};

export function enrolErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    const codes = [e.key, ...e.fields.map((f) => f.code)];
    for (const c of codes) if (c && mine[c]) return st(mine[c]);
  }
  return errorText(e);
}
