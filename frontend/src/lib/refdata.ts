// Reference lists the forms need (communes, centres), loaded once per session.

import type { Api } from './api';
import { sortBy } from './collation';
import { placeName } from './places';
import { areaOf, centresFor, centresInScope, communesIn } from './scope';
import type { Centre, Grant, Role, Unit } from './types';

export interface Option {
  value: string;
  label: string;
}

const cache = new Map<string, Promise<unknown>>();

/** Forgets the cached lists (after signing out, so another person never sees them). */
export function resetRefData(): void {
  cache.clear();
}

/** One request's answer for the session; a failure is forgotten, so that the next caller asks again. */
function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    const loading = load();
    cache.set(key, loading);
    loading.catch(() => {
      if (cache.get(key) === loading) cache.delete(key);
    });
    p = loading;
  }
  return p;
}

/** Units in force (the server leaves out the closed ones), provinces and communes alike, in Vietnamese order. */
export function units(api: Api): Promise<Unit[]> {
  return cached('units', () => api.units().then((all) => sortBy(all, (u) => u.name)));
}

/** Commune-level units (xã, phường, đặc khu) in force, in Vietnamese order. */
export async function communes(api: Api): Promise<Unit[]> {
  return (await units(api)).filter((u) => u.kind !== 'province');
}

/** Provinces in force, in Vietnamese order. */
export async function provinces(api: Api): Promise<Unit[]> {
  return (await units(api)).filter((u) => u.kind === 'province');
}

/** Centres the caller can see, in Vietnamese order. */
export function centres(api: Api): Promise<Centre[]> {
  return cached('centres', () => api.centres().then((all) => sortBy(all, (c) => c.name)));
}

/**
 * Commune options for a person form, limited to the area of the role the
 * person acts in: from the units API when the caller may read it, else from
 * what the centres and grants name.
 */
export async function communeOptions(api: Api, grants: readonly Grant[], role: Role | null): Promise<Option[]> {
  let list: { id: number; name: string; parent_id: number | null; kind?: string }[] = [];
  try {
    list = await communes(api);
  } catch {
    // fall through to what the centres tell
  }
  let known: Centre[] = [];
  try {
    known = await centres(api);
  } catch {
    known = [];
  }
  if (!list.length) {
    const seen = new Map<number, string>();
    for (const c of known) if (c.unit_id) seen.set(c.unit_id, c.unit_name);
    for (const g of grants) if (g.scope_kind === 'commune' && g.unit_id && g.unit_name) seen.set(g.unit_id, g.unit_name);
    list = [...seen].map(([id, name]) => ({ id, name, parent_id: null }));
  }
  const inside = communesIn(list, areaOf(role, grants, known));
  // Ordered by the bare name, so that wards and communes mix as on a map.
  return sortBy(inside, (u) => u.name).map((u) => ({ value: String(u.id), label: placeName(u.kind, u.name) }));
}

/** Centre options for granting a role, limited to where the acting role may grant. */
export async function centreOptions(api: Api, grants: readonly Grant[], role: Role | null): Promise<Option[]> {
  const known = await centres(api);
  let list: Unit[] = [];
  try {
    list = await communes(api);
  } catch {
    list = [];
  }
  return centresFor(role, grants, known, list).map((c) => ({ value: String(c.id), label: `${c.name} (${c.unit_name})` }));
}

/** Centre options for the people list's filter: only centres in the acting role's scope. */
export async function centreFilterOptions(api: Api, grants: readonly Grant[], role: Role | null): Promise<Option[]> {
  const known = await centres(api);
  let list: Unit[] = [];
  try {
    list = await communes(api);
  } catch {
    list = [];
  }
  return centresInScope(role, grants, known, list).map((c) => ({ value: String(c.id), label: c.name }));
}
