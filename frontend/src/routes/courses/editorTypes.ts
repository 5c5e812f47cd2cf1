// Names for the shapes of the course endpoints the staff's course screens
// use: generated from api/openapi/courses.json and materials.json into
// lib/api.gen.ts.

import type { components, operations } from '../../lib/api.gen';

type Schemas = components['schemas'];

export type CourseSummary = Schemas['CourseSummary'];
export type CourseList = Schemas['CoursePage'];
export type CourseQuery = NonNullable<operations['listCourses']['parameters']['query']>;
export type CourseDetail = Schemas['CourseDetail'];
export type CourseCreate = Schemas['CourseCreate'];
export type CoursePatch = Schemas['CoursePatch'];
export type CourseVersion = Schemas['CourseVersion'];
export type CourseStructure = Schemas['CourseStructure'];
export type Module = Schemas['Module'];
export type LessonItem = Schemas['LessonItem'];
export type Lesson = Schemas['Lesson'];
export type LessonCreate = Schemas['LessonCreate'];
export type LessonPatch = Schemas['LessonPatch'];
export type LessonMaterial = Schemas['LessonMaterial'];
export type CourseStatus = CourseSummary['status'];
export type CourseMode = CourseDetail['mode'];
export type LessonKind = LessonItem['kind'];

/** A material of a course (pending until confirmed); the same shape as a session's. */
export type { Material, UploadTicket } from '../../lib/uploads/api';
