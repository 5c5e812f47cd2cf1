// The message catalogue: Vietnamese by default, English on request; the
// choice is remembered on the device. Every visible string comes from here.

import vi from './vi';
import en from './en';
import { interpolate, type Params } from './translate';

export type Key = keyof typeof vi;
export type Lang = 'vi' | 'en';

export const LANGS: readonly Lang[] = ['vi', 'en'];
const STORAGE_KEY = 'densach.lang';
const catalogues: Record<Lang, Record<Key, string>> = { vi, en };

function remembered(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // storage may be blocked; fall back to Vietnamese
  }
  return 'vi';
}

let lang = $state<Lang>(remembered());

export const i18n = {
  get lang(): Lang {
    return lang;
  },
};

/** Switches the language and remembers it on this device. */
export function setLang(next: Lang): void {
  lang = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still switched
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

// Entries that come with a lazy chunk (addMessages), for the pages that need them.
const more: Record<Lang, Record<string, string>> = { vi: {}, en: {} };

/** Adds entries a lazily loaded part of the app brings (e.g. the course screens' error codes). */
export function addMessages(extra: Record<Lang, Record<string, string>>): void {
  for (const l of LANGS) Object.assign(more[l], extra[l]);
}

/** The text for key in the current language, with {placeholders} filled. */
export function t(key: Key, params?: Params): string {
  return interpolate(catalogues[lang][key] ?? more[lang][key] ?? vi[key] ?? more.vi[key] ?? key, params);
}

/** Whether key exists in the catalogue (for keys built from codes sent by the server). */
export function has(key: string): key is Key {
  return key in vi || key in more.vi;
}
