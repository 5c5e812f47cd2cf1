// Place names with their kind, as people say and write them: "Phường Tân
// Phong", "Xã Sìn Hồ" (the units keep the bare name and the kind apart).

import { t } from './i18n/index.svelte';

/** A commune-level unit's name with its kind; other kinds, or none, give the bare name. */
export function placeName(kind: string | null | undefined, name: string): string {
  if (!name) return '';
  switch (kind) {
    case 'ward':
      return t('place.ward', { name });
    case 'commune':
      return t('place.commune', { name });
    case 'special_zone':
      return t('place.special_zone', { name });
    default:
      return name;
  }
}
