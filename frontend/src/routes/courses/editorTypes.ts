// Shapes of the course and material endpoints the course screens use.
// (Provisional: written from the shared design until the contract lands;
// then these become names for the generated types, like lib/types.ts.)

export type CourseStatus = 'draft' | 'published' | 'archived';
export type CourseMode = 'online' | 'in_person' | 'blended';
export type LessonKind = 'text' | 'video' | 'document' | 'link' | 'quiz';
export type MaterialKind = 'video' | 'audio' | 'document' | 'image';

export interface CourseSummary {
  id: number;
  centre_id: number | null;
  province_id: number | null;
  owner_name?: string;
  status: CourseStatus;
  title: string;
  summary: string;
  category: string;
  has_draft: boolean;
  published_number: number | null;
  updated_at: string;
}

export interface CourseList {
  items: CourseSummary[];
  next_cursor?: string | null;
}

export interface CourseQuery {
  centre_id?: number;
  province_id?: number;
  status?: CourseStatus;
  q?: string;
  cursor?: string;
}

export interface Tag {
  competence_id: number;
  level_step: number;
  code?: string;
  name?: string;
  framework_kind?: string;
}

export interface Material {
  id: number;
  display_name: string;
  size: number;
  content_type: string;
  kind: MaterialKind;
  status?: 'pending' | 'ready';
}

export interface Lesson {
  id: number;
  key?: string;
  kind: LessonKind;
  title: string;
  body_md: string;
  url: string;
  material_id: number | null;
  material?: Material | null;
  required: boolean;
  estimated_minutes: number | null;
}

export interface Module {
  id: number;
  key?: string;
  title: string;
  lessons: Lesson[];
}

export interface CourseCan {
  edit_details: boolean;
  edit_lessons: boolean;
  publish: boolean;
  copy: boolean;
}

export interface CourseDetail {
  id: number;
  centre_id: number | null;
  province_id: number | null;
  owner_name?: string;
  status: CourseStatus;
  draft_version_id: number | null;
  published_version_id: number | null;
  version: {
    id: number;
    number: number | null;
    title: string;
    summary: string;
    description_md: string;
    category: string;
    target_groups: string[];
    estimated_hours: number | null;
    mode: CourseMode;
    sequential: boolean;
    published_at?: string | null;
  };
  description_html: string;
  tags: Tag[];
  modules: Module[];
  can: CourseCan;
}

export interface CourseCreate {
  centre_id?: number;
  province_id?: number;
  title: string;
  summary?: string;
  description_md?: string;
  category: string;
  target_groups?: string[];
  estimated_hours?: number | null;
  mode?: CourseMode;
  sequential?: boolean;
}

export type CoursePatch = Partial<Omit<CourseCreate, 'centre_id' | 'province_id'>> & { tags?: { competence_id: number; level_step: number }[] };

export interface CourseVersion {
  id: number;
  number: number | null;
  title: string;
  published_at: string | null;
  published_by_name?: string;
  created_at: string;
}

export interface CourseStructure {
  modules: { id: number; lesson_ids: number[] }[];
}

export interface LessonInput {
  kind: LessonKind;
  title: string;
  body_md?: string;
  url?: string;
  material_id?: number | null;
  required?: boolean;
  estimated_minutes?: number | null;
}

export interface UploadTicket {
  material_id: number;
  upload: { url: string; fields: Record<string, string>; key: string; expires_at: string };
}
