// The shapes the schedule pages read, from the generated client (the classes
// and rosters contracts).

import type { components } from '../../lib/api.gen';

type S = components['schemas'];

/** A session as GET /me/sessions gives it, with whether I teach it or learn in it and its attendance actions' windows. */
export type MySession = S['MySession'];
export type Overlap = S['EnrolmentOverlap'];
/** POST /classes/{id}/enrolments answers with this. */
export type ClassEnrolment = S['ClassEnrolment'];
/** A class open for enrolment (GET /classes/open). */
export type OpenClass = S['OpenClass'];
/** One of my class enrolments (GET /me/classes). */
export type MyClass = S['MyClass'];
