// The quiz screens' and the course learners screen's text (Vietnamese and
// English, ./quiz.vi.ts and ./quiz.en.ts), loaded with those screens only;
// follows the app's language like t() does.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';
import vi from './quiz.vi';
import en from './quiz.en';

// The quiz codes' error messages come with these pages (see courses-messages.ts).
addMessages(coursesMessages);

export type QKey = keyof typeof vi;

const catalogues: Record<string, Record<QKey, string>> = { vi, en };

/** The quiz screens' text for key in the current language. */
export function tq(key: QKey, params?: Params): string {
  return interpolate(catalogues[i18n.lang]?.[key] ?? vi[key] ?? key, params);
}
