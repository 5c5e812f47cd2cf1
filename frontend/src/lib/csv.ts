// The people-import CSV: the header of the template, and which form label
// names each column (the server reports errors by column or by API field).

import type { Key } from './i18n/index.svelte';

export const TEMPLATE_HEADER = ['ho_ten', 'ngay_sinh', 'gioi_tinh', 'dan_toc', 'ma_xa', 'thon', 'cccd', 'so_dien_thoai', 'email', 'chuc_vu_hoi'];

/** A template file: the header row alone, ready to fill in. */
export const TEMPLATE_CSV = TEMPLATE_HEADER.join(',') + '\r\n';

const FIELD_KEYS: Record<string, Key> = {
  ho_ten: 'person.full_name',
  full_name: 'person.full_name',
  ngay_sinh: 'person.birth',
  birth_date: 'person.birth',
  birth_year: 'person.birth',
  gioi_tinh: 'person.sex',
  sex: 'person.sex',
  dan_toc: 'person.ethnicity',
  ethnicity: 'person.ethnicity',
  ma_xa: 'import.communeCode',
  commune_code: 'import.communeCode',
  commune_id: 'person.commune',
  thon: 'person.village',
  village: 'person.village',
  cccd: 'person.cccd',
  so_dien_thoai: 'person.phone',
  phone: 'person.phone',
  email: 'person.email',
  chuc_vu_hoi: 'person.staff_position',
  staff_position: 'person.staff_position',
};

/** The catalogue key of a column's label, or null for an unknown column ("" means the whole row). */
export function fieldKey(field: string): Key | null {
  if (!field) return 'import.wholeRow';
  return FIELD_KEYS[field.trim().toLowerCase()] ?? null;
}
