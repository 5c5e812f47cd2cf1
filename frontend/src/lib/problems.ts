// Turning API errors into text for people: the catalogue's text for the
// error's message key or field code (in the chosen language, with the
// server's params), else the server's Vietnamese message, else the
// catalogue's text for the generic error code.

import { ApiError } from './errors';
import type { FieldError } from './types';
import { has, t } from './i18n/index.svelte';
import type { Params } from './i18n/translate';

/**
 * The catalogue's text for err.<name> with params, or undefined when the
 * catalogue has no such entry or a placeholder stays unfilled (an old server
 * site that sends a literal message and no params).
 */
export function catalogueText(name: string, params: Params = {}): string | undefined {
  const key = 'err.' + name;
  if (!name || !has(key)) return undefined;
  const text = t(key, params);
  return /\{\w+\}/.test(text) ? undefined : text;
}

/** The message to show for any error thrown by the API client. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('err.network');
    const known = catalogueText(e.key, e.params);
    if (known) return known;
    if (e.message) return e.message;
    return catalogueText(e.code) ?? t('err.internal');
  }
  return t('err.internal');
}

// The generic error codes: as a field code (an unkeyed error recorded under a
// field) they say less than the server's message, so that one wins.
const generic = new Set(['invalid', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'too_large', 'unavailable', 'internal']);

/** The message to show for one field error of an error with code `code`. */
export function fieldText(f: Pick<FieldError, 'code' | 'message' | 'params'>, code = 'invalid'): string {
  const known = generic.has(f.code) && f.message ? undefined : catalogueText(f.code, f.params);
  return known ?? (f.message || catalogueText(code) || '');
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
    const text = fieldText(f, e.code);
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
