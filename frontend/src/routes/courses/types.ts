// The shapes the learner screens read, as api/openapi/courses.json,
// catalogue.json and materials.json describe them (I9 design). Written by
// hand while those documents are built in parallel; the generated types in
// lib/api.gen.ts replace them once merged.

import type { CompetenceTag } from '../../lib/competences';

export type CourseMode = 'online' | 'in_person' | 'blended';
export type LessonKind = 'text' | 'video' | 'document' | 'link' | 'quiz';

export interface Owner {
  kind: 'centre' | 'province';
  id: number;
  name: string;
}

export interface CatalogueItem {
  course_id: number;
  version_id: number;
  title: string;
  summary: string;
  category: string;
  mode: CourseMode;
  estimated_hours: number | null;
  owner: Owner;
  tags: CompetenceTag[] | null;
  lesson_count: number;
}

export interface CataloguePage {
  items: CatalogueItem[] | null;
  next_cursor?: string | null;
}

export interface LessonMaterial {
  id: number;
  display_name: string;
  size: number;
  content_type: string;
  kind: string;
}

export interface Lesson {
  id: number;
  kind: LessonKind;
  title: string;
  required: boolean;
  estimated_minutes?: number | null;
  url?: string | null;
  material?: LessonMaterial | null;
  material_id?: number | null;
  tags?: CompetenceTag[] | null;
  body_html?: string;
}

export interface CourseModule {
  id: number;
  title: string;
  lessons: Lesson[] | null;
}

export interface CourseDetail {
  id: number;
  status: 'draft' | 'published' | 'archived';
  owner?: Owner;
  version_id?: number;
  /** null for the draft. */
  version_number?: number | null;
  title: string;
  summary: string;
  description_html: string;
  category: string;
  target_groups?: string[] | null;
  estimated_hours: number | null;
  mode: CourseMode;
  sequential: boolean;
  tags: CompetenceTag[] | null;
  modules: CourseModule[] | null;
  can?: { edit_details?: boolean; edit_lessons?: boolean; publish?: boolean; copy?: boolean };
}

export interface Download {
  url: string;
  expires_at: string;
  file_name: string;
  size: number;
  content_type: string;
}
