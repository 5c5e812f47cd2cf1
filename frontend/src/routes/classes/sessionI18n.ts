// The class session page's strings, loaded with that page (and with the
// class page that shows a session's files), not with the first visit.

import { i18n } from '../../lib/i18n/index.svelte';
import { interpolate, type Params } from '../../lib/i18n/translate';
import vi from './session.vi';
import en from './session.en';

export type SKey = keyof typeof vi;

const catalogues: Record<string, Record<SKey, string>> = { vi, en };

/** The session screens' text for key in the current language. */
export function ts(key: SKey, params?: Params): string {
  return interpolate(catalogues[i18n.lang]?.[key] ?? vi[key] ?? key, params);
}
