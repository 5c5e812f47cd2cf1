// The shapes the learner screens read, generated from the contract
// (api/openapi/courses.json, catalogue.json, materials.json).

import type { components } from '../../lib/api.gen';

export type CourseMode = 'online' | 'in_person' | 'blended';

export interface Owner {
  kind: 'centre' | 'province';
  id: number;
  name: string;
}

type Schemas = components['schemas'];

/** A published course in the catalogue (GET /catalogue). */
export type CatalogueItem = Schemas['CatalogueItem'];
export type CataloguePage = Schemas['CataloguePage'];

/** A course version as the course page shows it (GET /courses/{id}). */
export type CourseDetail = Schemas['CourseDetail'];
/** A lesson as listed on the course page; GET /lessons/{id} adds body_html. */
export type Lesson = Schemas['LessonItem'] & { body_html?: string };
/** A presigned GET of a lesson's file (GET /materials/{id}/download). */
export type Download = Schemas['MaterialDownload'];
