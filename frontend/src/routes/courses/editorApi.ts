// The course screens' calls to the API (courses, structure, materials), kept
// out of the shared client so that they load with the course pages only.
// Uploads (lib/uploads/api.ts) go straight from the browser to the object
// store through the presigned POST the server hands out; the API server
// never sees the bytes.

import { api } from '../../lib/session.svelte';
import type {
  CourseCreate,
  CourseDetail,
  CourseList,
  CoursePatch,
  CourseQuery,
  CourseStructure,
  CourseVersion,
  Lesson,
  LessonCreate,
  LessonPatch,
  Material,
  Module,
} from './editorTypes';

type Query = Record<string, string | number | boolean | undefined | null>;

export async function listCourses(q: CourseQuery, signal?: AbortSignal): Promise<CourseList> {
  const page = await api.get<CourseList>('/courses', q as Query, signal);
  return { ...page, items: page.items ?? [] };
}

/** One course with a version: "draft", "published" or a number; the server's default without one. */
export function getCourse(id: number, version?: string | number): Promise<CourseDetail> {
  return api.get<CourseDetail>(`/courses/${id}`, version === undefined ? undefined : { version });
}

export const createCourse = (input: CourseCreate) => api.request<CourseDetail>('POST', '/courses', { json: input });
export const updateCourse = (id: number, patch: CoursePatch) => api.request<CourseDetail>('PATCH', `/courses/${id}`, { json: patch });
export const openDraft = (id: number) => api.request<CourseDetail>('POST', `/courses/${id}/draft`);
export const discardDraft = (id: number) => api.request<void>('DELETE', `/courses/${id}/draft`);
export const publishCourse = (id: number) => api.request<CourseDetail>('POST', `/courses/${id}/publish`);
export const archiveCourse = (id: number) => api.request<CourseDetail>('POST', `/courses/${id}/archive`);
export const unarchiveCourse = (id: number) => api.request<CourseDetail>('POST', `/courses/${id}/unarchive`);
export const deleteCourse = (id: number) => api.request<void>('DELETE', `/courses/${id}`);
export const copyCourse = (id: number, centreId: number) => api.request<CourseDetail>('POST', `/courses/${id}/copy`, { json: { centre_id: centreId } });

export async function listVersions(id: number): Promise<CourseVersion[]> {
  return (await api.get<{ items: CourseVersion[] | null }>(`/courses/${id}/versions`)).items ?? [];
}

export const addModule = (courseId: number, title: string) => api.request<Module>('POST', `/courses/${courseId}/modules`, { json: { title } });
export const renameModule = (id: number, title: string) => api.request<Module>('PATCH', `/modules/${id}`, { json: { title } });
export const deleteModule = (id: number) => api.request<void>('DELETE', `/modules/${id}`);
/** What the lesson form gives: every field, null where there is none (no file, no minutes). */
export type LessonInput = Required<Pick<LessonCreate, 'kind' | 'title' | 'body_md' | 'url' | 'required' | 'tags'>> & {
  material_id: number | null;
  estimated_minutes: number | null;
};

export function addLesson(moduleId: number, input: LessonInput): Promise<Lesson> {
  // A new lesson leaves out what it does not have (the contract takes no nulls here).
  const { material_id, estimated_minutes, ...rest } = input;
  const body: LessonCreate = { ...rest, ...(material_id ? { material_id } : {}), ...(estimated_minutes ? { estimated_minutes } : {}) };
  return api.request<Lesson>('POST', `/modules/${moduleId}/lessons`, { json: body });
}
/** Changes a lesson; null clears a file or the minutes. */
export const updateLesson = (id: number, patch: LessonPatch) => api.request<Lesson>('PATCH', `/lessons/${id}`, { json: patch });
export const getLesson = (id: number) => api.get<Lesson>(`/lessons/${id}`);
export const deleteLesson = (id: number) => api.request<void>('DELETE', `/lessons/${id}`);
/** The whole order of the draft's modules and lessons, in one request. */
export const saveStructure = (courseId: number, s: CourseStructure) => api.request<void>('PUT', `/courses/${courseId}/structure`, { json: s });

export async function listMaterials(courseId: number): Promise<Material[]> {
  return (await api.get<{ items: Material[] | null }>(`/courses/${courseId}/materials`)).items ?? [];
}
// Uploads, confirms and deletes are shared with the class sessions' files.
export { confirmMaterial, contentTypeOf, deleteMaterial, postToStore, UploadError, type UploadHandle } from '../../lib/uploads/api';
