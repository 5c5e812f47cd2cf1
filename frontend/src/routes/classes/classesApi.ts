// The class screens' calls to the API (venues, classes, sessions, holidays,
// class enrolments), kept out of the shared client so that they load with
// these pages only. Shapes come from the contract (lib/api.gen.ts).

import { api } from '../../lib/session.svelte';
import type { components } from '../../lib/api.gen';

type S = components['schemas'];
export type Venue = S['Venue'];
export type VenueCreate = S['VenueCreate'];
export type VenueUpdate = S['VenueUpdate'];
export type TeacherShare = S['TeacherShare'];
export type Klass = S['Class'];
export type ClassCreate = S['ClassCreate'];
export type ClassUpdate = S['ClassUpdate'];
export type ClassStatus = Klass['status'];
export type ClassMode = Klass['mode'];
export type Session = S['Session'];
export type SessionPatch = S['SessionPatch'];
export type Recurrence = S['Recurrence'];
export type SessionPlanRequest = S['SessionPlanRequest'];
export type SessionPlan = S['SessionPlan'];
export type SessionConflict = S['SessionConflict'];
export type ImportResult = S['ImportResult'];

type Q = Record<string, string | number | boolean | undefined | null>;
const items = async <T>(p: Promise<{ items?: T[] | null }>): Promise<T[]> => (await p).items ?? [];

export const listVenues = (centreId?: number) => items(api.get<{ items: Venue[] }>('/venues', { centre_id: centreId }));
export const createVenue = (v: VenueCreate) => api.request<Venue>('POST', '/venues', { json: v });
export const updateVenue = (id: number, v: VenueUpdate) => api.request<Venue>('PUT', `/venues/${id}`, { json: v });
export const listShares = (centreId: number) => items(api.get<{ items: TeacherShare[] }>(`/centres/${centreId}/teacher-shares`));

export const listClasses = (q: { centre_id?: number; status?: ClassStatus } = {}) => items(api.get<{ items: Klass[] }>('/classes', q as Q));
export const getClass = (id: number) => api.get<Klass>(`/classes/${id}`);
export const createClass = (c: ClassCreate) => api.request<Klass>('POST', '/classes', { json: c });
export const updateClass = (id: number, c: ClassUpdate) => api.request<Klass>('PUT', `/classes/${id}`, { json: c });

export const classSessions = (id: number) => items(api.get<{ items: Session[] }>(`/classes/${id}/sessions`));
export const planSessions = (id: number, req: SessionPlanRequest) => api.request<SessionPlan>('POST', `/classes/${id}/sessions/plan`, { json: req });
export const patchSession = (id: number, p: SessionPatch) => api.request<Session>('PATCH', `/sessions/${id}`, { json: p });
export const cancelSession = (id: number, reason: string) => api.request<Session>('POST', `/sessions/${id}/cancel`, { json: { reason } });

/** A centre's sessions between two instants, of one venue or one teacher if asked (GET /sessions, at most 62 days). */
export const calendarSessions = (q: { centre_id?: number; venue_id?: number; teacher_id?: number; from: string; to: string }, signal?: AbortSignal) =>
  items(api.get<{ items: Session[] }>('/sessions', q as Q, signal));

/** A published course a class can offer (the course list's summary). */
export const publishedCourses = (centreId: number) =>
  items(api.get<{ items: S['CourseSummary'][] }>('/courses', { centre_id: centreId, status: 'published', page_size: 100 }));
export const libraryCourses = (provinceId: number) =>
  items(api.get<{ items: S['CourseSummary'][] }>('/courses', { province_id: provinceId, status: 'published', page_size: 100 }));

/** The teachers of a centre (people holding the teacher role there). */
export const centreTeachers = (centreId: number) =>
  items(api.get<{ items: S['Person'][] }>('/people', { centre_id: centreId, role: 'teacher', page_size: 100 }));

/** People found by name, phone or CCCD (for enrolling one). */
export const searchPeople = (q: string, signal?: AbortSignal) => items(api.get<{ items: S['Person'][] }>('/people', { q, page_size: 10 }, signal));

/** The sessions a class not saved yet would get (POST /classes/preview): nothing is stored. */
export const previewClass = (klass: ClassCreate, plan: SessionPlanRequest) => api.request<SessionPlan>('POST', '/classes/preview', { json: { class: klass, plan } });

// ---- Class enrolments (rosters contract) ----
export type ClassEnrolment = S['ClassEnrolment'];
export type ClassRoster = S['ClassRoster'];
export type EnrolmentEvent = S['EnrolmentEvent'];
export type ClassImportResult = S['ClassImportResult'];

export const classRoster = (id: number) => api.get<ClassRoster>(`/classes/${id}/enrolments`);
export const enrolPerson = (classId: number, personId: number) => api.request<ClassEnrolment>('POST', `/classes/${classId}/enrolments`, { json: { person_id: personId } });
export const withdrawEnrolment = (id: number, reason: string) => api.request<unknown>('POST', `/enrolments/${id}/withdraw`, { json: { reason } });
export const enrolmentEvents = (id: number) => items(api.get<{ items: EnrolmentEvent[] }>(`/enrolments/${id}/events`));
export const importIntoClass = (classId: number, csv: Blob, dryRun: boolean, onUpload?: (sent: number, total: number) => void) =>
  api.request<ClassImportResult>('POST', `/classes/${classId}/enrolments/import`, { query: { dry_run: dryRun ? 'true' : 'false' }, body: csv, contentType: 'text/csv', onUpload });
