// Turning API errors into text for people: the server's Vietnamese message
// when it sent one, else the catalogue's text for the error code.

import { ApiError } from './errors';
import { has, t } from './i18n/index.svelte';

/** The message to show for any error thrown by the API client. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('err.network');
    if (e.message) return e.message;
    const key = 'err.' + e.code;
    return has(key) ? t(key) : t('err.internal');
  }
  return t('err.internal');
}

/**
 * Splits an error's field messages into those the form shows beside its own
 * fields (keyed by form field) and the rest (shown at the top). `alias` maps
 * API field names onto form fields (birth_year → birth).
 */
export function splitFieldErrors(
  e: unknown,
  formFields: readonly string[],
  alias: Record<string, string> = {},
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  if (!(e instanceof ApiError)) return { byField, other };
  for (const f of e.fields) {
    const name = alias[f.field] ?? f.field;
    const text = f.message || (has('err.' + e.code) ? t(('err.' + e.code) as 'err.invalid') : '');
    if (formFields.includes(name)) byField[name] = byField[name] ? byField[name] + ' ' + text : text;
    else other.push(text);
  }
  return { byField, other };
}

/**
 * A failed form's errors: the field messages beside their fields, the rest at
 * the top, and errorText at the top when the server named no field at all.
 */
export function formErrors(
  e: unknown,
  formFields: readonly string[],
  alias: Record<string, string> = {},
): { byField: Record<string, string>; top: string[] } {
  const { byField, other } = splitFieldErrors(e, formFields, alias);
  return { byField, top: other.length || Object.keys(byField).length ? other : [errorText(e)] };
}
