// The shared upload's strings, loaded with the pages that upload or list
// files (not with the first visit), and the materials' error messages
// (courses-messages.ts) that these pages meet.

import { addMessages, i18n } from '../i18n/index.svelte';
import coursesMessages from '../i18n/courses-messages';
import { interpolate, type Params } from '../i18n/translate';
import vi from './uploads.vi';
import en from './uploads.en';

addMessages(coursesMessages);

export type UKey = keyof typeof vi;

const catalogues: Record<string, Record<UKey, string>> = { vi, en };

/** The upload's text for key in the current language. */
export function tu(key: UKey, params?: Params): string {
  return interpolate(catalogues[i18n.lang]?.[key] ?? vi[key] ?? key, params);
}
