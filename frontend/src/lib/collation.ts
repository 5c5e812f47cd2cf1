// Vietnamese collation, as registers order people: by given name (the last
// word of the full name), then by the full name; a < ă < â, d < đ, tones after
// the bare vowel. Plus diacritic folding for matching typed searches.

const collator = new Intl.Collator('vi', { usage: 'sort', sensitivity: 'variant', numeric: true });

/** Compares two strings in Vietnamese alphabetical order. */
export function compareVi(a: string, b: string): number {
  return collator.compare(a.normalize('NFC'), b.normalize('NFC'));
}

/** The given name: the last word of a Vietnamese full name. */
export function givenName(fullName: string): string {
  const words = fullName.trim().split(/\s+/);
  return words[words.length - 1] ?? '';
}

/** Compares people by given name, then full name, then id (stable for namesakes). */
export function comparePeople(
  a: { full_name: string; given_name?: string; id?: number },
  b: { full_name: string; given_name?: string; id?: number },
): number {
  return (
    compareVi(a.given_name || givenName(a.full_name), b.given_name || givenName(b.full_name)) ||
    compareVi(a.full_name, b.full_name) ||
    (a.id ?? 0) - (b.id ?? 0)
  );
}

/** A sorted copy of a list of people. */
export function sortPeople<T extends { full_name: string; given_name?: string; id?: number }>(people: readonly T[]): T[] {
  return [...people].sort(comparePeople);
}

/** A sorted copy of a list by one string key, in Vietnamese order. */
export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareVi(key(a), key(b)));
}

/** Lower-cases and strips tones and vowel marks: "Đoàn Kết" → "doan ket". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// The old tone placement of oa, oe and uy (on the first vowel) and the new
// one (on the second), as the server's search key (domain.LowerForSearch)
// rewrites them: "hòa" → "hoà", "thủy" → "thuỷ", "khỏe" → "khoẻ".
const TONE_PLACEMENT: Record<string, string> = {
  òa: 'oà', óa: 'oá', ỏa: 'oả', õa: 'oã', ọa: 'oạ',
  òe: 'oè', óe: 'oé', ỏe: 'oẻ', õe: 'oẽ', ọe: 'oẹ',
  ùy: 'uỳ', úy: 'uý', ủy: 'uỷ', ũy: 'uỹ', ụy: 'uỵ',
};
const OLD_PLACEMENT = /[òóỏõọ][ae]|[ùúủũụ]y/g;

/**
 * Lower-cases text in NFC, collapses whitespace and puts the tone of oa, oe
 * and uy on the second vowel, so that "Hòa" and "Hoà" compare equal.
 */
export function lowerForSearch(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(OLD_PLACEMENT, (m) => TONE_PLACEMENT[m] ?? m);
}

/**
 * Whether text matches a typed query. A query without diacritics matches
 * with or without them ("doan ket" finds "Đoàn Kết"); a query with diacritics
 * must match them ("Đoàn" does not find "Doan"), whichever vowel of oa, oe or
 * uy carries the tone ("Thủy" finds "Thuỷ").
 */
export function matches(text: string, query: string): boolean {
  const q = lowerForSearch(query);
  if (!q) return true;
  const t = lowerForSearch(text);
  if (fold(q) === q) return fold(t).includes(q);
  return t.includes(q);
}
