// The shapes the learner screens read. The course page and the materials are
// generated from the contract (api/openapi/courses.json, materials.json); the
// catalogue's are written by hand from the I9 design until catalogue.json is
// merged, and then become aliases of the generated ones too.

import type { components } from '../../lib/api.gen';
import type { CompetenceTag } from '../../lib/competences';

export type CourseMode = 'online' | 'in_person' | 'blended';

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

type Schemas = components['schemas'];

/** A course version as the course page shows it (GET /courses/{id}). */
export type CourseDetail = Schemas['CourseDetail'];
/** A lesson as listed on the course page; GET /lessons/{id} adds body_html. */
export type Lesson = Schemas['LessonItem'] & { body_html?: string };
/** A presigned GET of a lesson's file (GET /materials/{id}/download). */
export type Download = Schemas['MaterialDownload'];
