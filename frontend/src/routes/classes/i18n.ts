// The class screens' text: their strings (classes-messages.ts) and the
// error codes of classes and courses (courses-messages.ts) come with this
// chunk, registered for t() and errorText(); tl() reads the screens' own.

import { addMessages, i18n } from '../../lib/i18n/index.svelte';
import coursesMessages from '../../lib/i18n/courses-messages';
import classesMessages, { type ClassKey } from '../../lib/i18n/classes-messages';
import { interpolate, type Params } from '../../lib/i18n/translate';
import { fieldText } from '../../lib/problems';

addMessages(coursesMessages);
addMessages(classesMessages);

export type { ClassKey };

/** The class screens' text for key in the current language, with {placeholders} filled. */
export function tl(key: ClassKey, params?: Params): string {
  return interpolate(classesMessages[i18n.lang][key] ?? classesMessages.vi[key] ?? key, params);
}

/**
 * A field's error as shown beside that field: "required" names the field
 * by its place on the form ("Cần điền mục này."), not by its API name.
 */
export function besideField(f: { code: string; message: string; params?: Params }, code?: string): string {
  return f.code === 'required' ? tl('cls.required') : fieldText(f, code);
}
