// Course reference data: the competence frameworks (GET /competences) and the
// course categories (GET /course-categories). Both are the same for everyone
// and change only with a migration (or an administrator's new category), so
// each is asked for once per page load and kept in memory; a failed request is
// forgotten, so that the next caller asks again. Only the course pages import
// this module (it is not part of the first visit).

import type { Api } from './api';
import type { Lang } from './i18n/index.svelte';

export type FrameworkKind = 'digital_skills' | 'it_application';

export interface CompetenceArea {
  id: number;
  code: string;
  name_vi: string;
  name_en: string;
  position?: number;
}

export interface Competence {
  id: number;
  area_id?: number | null;
  code: string;
  name_vi: string;
  name_en: string;
  advanced?: boolean;
  position?: number;
}

export interface CompetenceLevel {
  step: number;
  level: number;
  code: string;
  name_vi: string;
  name_en: string;
}

export interface Framework {
  id: number;
  code: string;
  kind: FrameworkKind;
  name_vi: string;
  name_en: string;
  areas: CompetenceArea[];
  competences: Competence[];
  levels: CompetenceLevel[];
}

/**
 * A tag as courses and lessons carry it: level_step 0 (or null) = no level.
 * The course pages' answers also name it (CompetenceTagRef); those names are
 * used when the frameworks could not be loaded.
 */
export interface CompetenceTag {
  competence_id: number;
  level_step?: number | null;
  code?: string;
  name_vi?: string;
  name_en?: string;
  framework_kind?: FrameworkKind;
  level_code?: string | null;
}

export interface CourseCategory {
  code: string;
  name_vi: string;
  name_en: string;
  position?: number;
  active?: boolean;
}

/** One competence with its framework and area, looked up by id. */
export interface CompetenceRef {
  framework: Framework;
  competence: Competence;
  area: CompetenceArea | null;
}

/** The frameworks with their competences and levels, and an index by competence id. */
export interface Competences {
  frameworks: Framework[];
  byId: Map<number, CompetenceRef>;
}

let competences: Promise<Competences> | null = null;
let categories: Promise<CourseCategory[]> | null = null;

function once<T>(get: () => Promise<T> | null, set: (p: Promise<T> | null) => void, load: () => Promise<T>): Promise<T> {
  let p = get();
  if (!p) {
    const loading = load();
    set(loading);
    loading.catch(() => {
      if (get() === loading) set(null);
    });
    p = loading;
  }
  return p;
}

/** Every framework, with lists never null (the server may leave empty ones out). */
export function indexFrameworks(list: readonly Partial<Framework>[]): Competences {
  const frameworks = list.map(
    (f) => ({ ...f, areas: f.areas ?? [], competences: f.competences ?? [], levels: f.levels ?? [] }) as Framework,
  );
  const byId = new Map<number, CompetenceRef>();
  for (const framework of frameworks) {
    const areas = new Map(framework.areas.map((a) => [a.id, a]));
    for (const competence of framework.competences) {
      byId.set(competence.id, { framework, competence, area: (competence.area_id && areas.get(competence.area_id)) || null });
    }
  }
  return { frameworks, byId };
}

/** The competence frameworks (GET /competences), loaded once. */
export function loadCompetences(api: Api): Promise<Competences> {
  return once(
    () => competences,
    (p) => (competences = p),
    async () => {
      const res = await api.get<{ items?: Partial<Framework>[] | null; frameworks?: Partial<Framework>[] | null }>('/competences');
      return indexFrameworks(res.items ?? res.frameworks ?? []);
    },
  );
}

/** The active course categories (GET /course-categories), in their order, loaded once. */
export function loadCategories(api: Api): Promise<CourseCategory[]> {
  return once(
    () => categories,
    (p) => (categories = p),
    async () => {
      const res = await api.get<{ items?: CourseCategory[] | null }>('/course-categories');
      return (res.items ?? []).filter((c) => c.active !== false).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    },
  );
}

/** The name of a framework, area, competence, level or category in the language shown. */
export function nameIn(x: { name_vi: string; name_en: string }, lang: Lang): string {
  return lang === 'en' ? x.name_en || x.name_vi : x.name_vi;
}

/** The level of a framework at a step, or null (no step, or a framework without levels). */
export function levelAt(framework: Framework, step: number | null | undefined): CompetenceLevel | null {
  if (!step) return null;
  return framework.levels.find((l) => l.step === step) ?? null;
}

/** The framework kinds a list of tags touches (digital-skill and/or IT training), in a fixed order. */
export function kindsOf(tags: readonly CompetenceTag[], byId: Map<number, CompetenceRef>): FrameworkKind[] {
  const seen = new Set<FrameworkKind>();
  for (const tag of tags) {
    const ref = byId.get(tag.competence_id);
    if (ref) seen.add(ref.framework.kind);
  }
  return (['digital_skills', 'it_application'] as const).filter((k) => seen.has(k));
}

/** Tags grouped by framework (in the frameworks' order), each group in the competences' order. */
export function groupByFramework(
  tags: readonly CompetenceTag[],
  c: Competences,
): { framework: Framework; items: { tag: CompetenceTag; ref: CompetenceRef }[] }[] {
  const groups = new Map<number, { tag: CompetenceTag; ref: CompetenceRef }[]>();
  for (const tag of tags) {
    const ref = c.byId.get(tag.competence_id);
    if (!ref) continue;
    const list = groups.get(ref.framework.id) ?? [];
    list.push({ tag, ref });
    groups.set(ref.framework.id, list);
  }
  const pos = (x: { ref: CompetenceRef }) => x.ref.competence.position ?? x.ref.competence.id;
  return c.frameworks
    .filter((f) => groups.has(f.id))
    .map((framework) => ({ framework, items: groups.get(framework.id)!.sort((a, b) => pos(a) - pos(b)) }));
}
