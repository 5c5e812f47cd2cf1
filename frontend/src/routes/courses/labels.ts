// Labels shared by the learner course screens: mode, hours, owner, category.

import { i18n } from '../../lib/i18n/index.svelte';
import { formatNumber } from '../../lib/format';
import { nameIn, type CourseCategory } from '../../lib/competences';
import { ct, hasCt } from './i18n';
import type { Owner } from './types';

export function modeName(mode: string): string {
  const key = 'mode.' + mode;
  return hasCt(key) ? ct(key) : mode;
}

export function hoursText(h: number | null | undefined): string {
  return h ? ct('hours', { n: formatNumber(h) }) : '';
}

/** "Trung tâm HTCĐ Tân Phong", or "Thư viện tỉnh Lai Châu" for a province library. */
export function ownerName(owner: Owner | null | undefined): string {
  if (!owner) return '';
  return owner.kind === 'province' ? `${ct('owner.province')} ${owner.name}` : owner.name;
}

/** The category's name from the loaded list, else its code. */
export function categoryName(code: string, categories: readonly CourseCategory[]): string {
  const c = categories.find((x) => x.code === code);
  return c ? nameIn(c, i18n.lang) : code;
}
