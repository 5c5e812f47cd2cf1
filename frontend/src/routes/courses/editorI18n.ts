// The course screens' own strings (Vietnamese and English), loaded with those
// screens rather than with the first visit: the main catalogue is part of the
// entry chunk, which has a budget. Same rules as the main catalogue: every
// key in both languages, the same placeholders.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';
import vi from './editor.vi';
import en from './editor.en';

// The course codes' error messages come with the course pages (see courses-messages.ts).
addMessages(coursesMessages);

export type CKey = keyof typeof vi;

const catalogues: Record<string, Record<CKey, string>> = { vi, en };

/** The course screens' text for key in the current language. */
export function tc(key: CKey, params?: Params): string {
  return interpolate(catalogues[i18n.lang]?.[key] ?? vi[key] ?? key, params);
}
