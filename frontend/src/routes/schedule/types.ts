// The shapes the schedule pages read. Sessions come from the generated client;
// the class enrolments follow the roster contract (api/openapi/rosters.json).

import type { components } from '../../lib/api.gen';

/** A session as GET /me/sessions gives it: whether I teach it or learn in it. */
export type MySession = components['schemas']['Session'] & { role?: 'teacher' | 'learner' };

export interface Overlap {
  class_id: number;
  class_title: string;
  session_id: number;
  starts_at: string;
  ends_at: string;
}

export type EnrolmentStatus = 'active' | 'waitlisted' | 'withdrawn' | 'completed';

/** POST /classes/{id}/enrolments answers with this. */
export interface ClassEnrolment {
  id: number;
  person_id: number;
  person_name?: string;
  class_id: number;
  course_id?: number;
  status: EnrolmentStatus;
  waitlist_position: number | null;
  source?: string;
  enrolled_at?: string;
  overlaps?: Overlap[] | null;
}

/** A class open for enrolment (GET /classes/open). */
export interface OpenClass {
  id: number;
  title: string;
  mode?: 'online' | 'in_person' | 'blended';
  centre_id?: number;
  centre_name?: string;
  commune_id?: number | null;
  commune_name?: string;
  capacity?: number;
  seats_left?: number | null;
  enrol_from?: string | null;
  enrol_until?: string | null;
  starts_on?: string;
  ends_on?: string;
  venue_name?: string;
  next_sessions?: number | null;
  next_session_at?: string | null;
}

/** One of my class enrolments (GET /me/classes). */
export interface MyClass {
  id: number;
  class_id: number;
  class_title: string;
  centre_name?: string;
  status: EnrolmentStatus;
  waitlist_position: number | null;
  enrolled_at?: string;
  next_session?: { starts_at: string; ends_at: string; venue_name?: string; mode?: string; meeting_url?: string } | null;
}
