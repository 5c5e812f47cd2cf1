// Reference lists the forms need (communes, centres), loaded once per session.

import type { Api } from './api';
import { sortBy } from './collation';
import type { Centre, Grant, Unit } from './types';

export interface Option {
  value: string;
  label: string;
}

let communesP: Promise<Unit[]> | null = null;
let provincesP: Promise<Unit[]> | null = null;
let centresP: Promise<Centre[]> | null = null;

/** Forgets the cached lists (after signing out, so another person never sees them). */
export function resetRefData(): void {
  communesP = provincesP = centresP = null;
}

function current(u: Unit): boolean {
  return !u.valid_to || u.valid_to >= new Date().toISOString().slice(0, 10);
}

/** Commune-level units (xã, phường, đặc khu) in force, in Vietnamese order. */
export function communes(api: Api): Promise<Unit[]> {
  if (!communesP) {
    communesP = api
      .units()
      .then((all) => sortBy(all.filter((u) => u.kind !== 'province' && current(u)), (u) => u.name))
      .catch((e) => {
        communesP = null;
        throw e;
      });
  }
  return communesP;
}

/** Provinces in force, in Vietnamese order. */
export function provinces(api: Api): Promise<Unit[]> {
  if (!provincesP) {
    provincesP = api
      .units({ kind: 'province' })
      .then((all) => sortBy(all.filter(current), (u) => u.name))
      .catch((e) => {
        provincesP = null;
        throw e;
      });
  }
  return provincesP;
}

/** Centres the caller can see, in Vietnamese order. */
export function centres(api: Api): Promise<Centre[]> {
  if (!centresP) {
    centresP = api
      .centres()
      .then((all) => sortBy(all, (c) => c.name))
      .catch((e) => {
        centresP = null;
        throw e;
      });
  }
  return centresP;
}

/**
 * Commune options for a person form: the units API when the caller may read
 * it, else what the caller's centres and grants name (a centre manager may
 * only see their own commune).
 */
export async function communeOptions(api: Api, grants: readonly Grant[]): Promise<Option[]> {
  try {
    const list = await communes(api);
    if (list.length) return list.map((u) => ({ value: String(u.id), label: u.name }));
  } catch {
    // fall through to what the caller's centres tell
  }
  const seen = new Map<number, string>();
  try {
    for (const c of await centres(api)) if (c.unit_id) seen.set(c.unit_id, c.unit_name);
  } catch {
    // nothing more to learn
  }
  for (const g of grants) if (g.scope_kind === 'commune' && g.unit_id && g.unit_name) seen.set(g.unit_id, g.unit_name);
  return sortBy(
    [...seen].map(([id, name]) => ({ value: String(id), label: name })),
    (o) => o.label,
  );
}
