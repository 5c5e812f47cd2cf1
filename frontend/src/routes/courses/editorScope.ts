// Where the signed-in person may own or look at courses, from their grants
// in the role they act in now (the server decides; this only fills choices).

import { session } from '../../lib/session.svelte';
import type { Grant } from '../../lib/types';

export interface Owner {
  /** "c12" for centre 12, "p3" for the library of province 3. */
  value: string;
  centre_id?: number;
  province_id?: number;
  name: string;
  library: boolean;
}

function activeGrants(): Grant[] {
  return session.grants.filter((g) => g.role === session.role);
}

/** The owners a course list can be narrowed to: the caller's centres and province libraries. */
export function ownersToRead(): Owner[] {
  const out: Owner[] = [];
  for (const g of activeGrants()) {
    if (g.centre_id && (g.role === 'manager' || g.role === 'teacher')) out.push({ value: 'c' + g.centre_id, centre_id: g.centre_id, name: g.centre_name ?? '', library: false });
    if (g.role === 'officer' && g.scope_kind === 'province' && g.unit_id) out.push({ value: 'p' + g.unit_id, province_id: g.unit_id, name: g.unit_name ?? '', library: true });
  }
  return out.filter((o, i) => out.findIndex((x) => x.value === o.value) === i);
}

/** The owners the caller may create a course for (managers: their centres; province officers: the library). */
export function ownersToCreate(): Owner[] {
  return ownersToRead().filter((o) => (o.library ? session.role === 'officer' : session.role === 'manager'));
}

/** Whether the role may create courses at all (administrators choose any owner). */
export function mayCreate(): boolean {
  return session.role === 'admin' || ownersToCreate().length > 0;
}

export function ownerQuery(value: string): { centre_id?: number; province_id?: number } {
  const n = Number(value.slice(1));
  if (!n) return {};
  return value[0] === 'c' ? { centre_id: n } : value[0] === 'p' ? { province_id: n } : {};
}
