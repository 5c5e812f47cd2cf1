// The message catalogue: Vietnamese by default, English on request; the
// choice is remembered on the device. Every visible string comes from here.
// Only Vietnamese travels with the first load: English is its own chunk,
// fetched when it is chosen (and before the app first draws, when it was
// chosen earlier), so that no screen ever shows keys or switches halfway.

import vi from './vi';
import { interpolate, type Params } from './translate';

export type Key = keyof typeof vi;
export type Lang = 'vi' | 'en';

export const LANGS: readonly Lang[] = ['vi', 'en'];
const STORAGE_KEY = 'densach.lang';
const catalogues: Partial<Record<Lang, Record<Key, string>>> = { vi };
const loading: Partial<Record<Lang, Promise<void>>> = {};

/** Fetches a language's catalogue once; Vietnamese is always there. */
function load(l: Lang): Promise<void> {
  if (catalogues[l]) return Promise.resolve();
  return (loading[l] ??= import('./en').then(
    (m) => void (catalogues[l] = m.default),
    (e) => {
      delete loading[l]; // offline: try again on the next switch
      throw e;
    },
  ));
}

function remembered(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // storage may be blocked; fall back to Vietnamese
  }
  return 'vi';
}

let lang = $state<Lang>('vi');

export const i18n = {
  get lang(): Lang {
    return lang;
  },
};

function apply(next: Lang): void {
  lang = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/**
 * The remembered language, ready to draw: main.ts mounts the app after it.
 * If English cannot be fetched (offline, not cached yet) the app starts in
 * Vietnamese.
 */
export const ready: Promise<void> = (() => {
  const want = remembered();
  return load(want).then(() => apply(want), () => undefined);
})();

/**
 * Remembers the language on this device and switches to it once its
 * catalogue is there (at once for Vietnamese, after one small download the
 * first time for English). Rejects when the catalogue cannot be fetched; the
 * screen then stays in the language it was in.
 */
export function setLang(next: Lang): Promise<void> {
  // Remembered at once, so that a page load during the download keeps the choice.
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still switched
  }
  return load(next).then(() => apply(next));
}

// Entries that come with a lazy chunk (addMessages), for the pages that need them.
const more: Record<Lang, Record<string, string>> = { vi: {}, en: {} };

/** Adds entries a lazily loaded part of the app brings (e.g. the course screens' error codes). */
export function addMessages(extra: Record<Lang, Record<string, string>>): void {
  for (const l of LANGS) Object.assign(more[l], extra[l]);
}

/** The text for key in the current language, with {placeholders} filled. */
export function t(key: Key, params?: Params): string {
  return interpolate(catalogues[lang]?.[key] ?? more[lang][key] ?? vi[key] ?? more.vi[key] ?? key, params);
}

/** Whether key exists in the catalogue (for keys built from codes sent by the server). */
export function has(key: string): key is Key {
  return key in vi || key in more.vi;
}
