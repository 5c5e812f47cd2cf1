// Which communes and centres a person acting in a role may pick in forms.
// The server enforces scope; these lists only keep people from choosing
// places they will be refused for.

import type { Centre, Grant, Role } from './types';

export interface Place {
  id: number;
  parent_id?: number | null;
}

/** The unit ids a role covers: officers' areas, managers' centres' communes; null means everywhere. */
export function areaOf(role: Role | null, grants: readonly Grant[], centres: readonly Centre[]): Set<number> | null {
  if (role === 'admin' || role === null) return null;
  const ids = new Set<number>();
  for (const g of grants) {
    if (g.role !== role) continue;
    if (g.unit_id !== null) ids.add(g.unit_id);
    if (g.centre_id !== null) {
      const c = centres.find((x) => x.id === g.centre_id);
      if (c) ids.add(c.unit_id);
    }
  }
  return ids.size ? ids : null;
}

/** The communes inside an area (a commune itself, or the communes of a province). */
export function communesIn<T extends Place>(communes: readonly T[], area: Set<number> | null): T[] {
  if (!area) return [...communes];
  const inside = communes.filter((c) => area.has(c.id) || (c.parent_id != null && area.has(c.parent_id)));
  return inside.length ? inside : [...communes];
}

/** The centres a role may grant roles at: a manager's own centres, the centres of an officer's area. */
export function centresFor(role: Role | null, grants: readonly Grant[], centres: readonly Centre[], communes: readonly Place[]): Centre[] {
  if (role === 'admin' || role === null) return [...centres];
  if (role === 'manager') {
    const own = new Set(grants.filter((g) => g.role === 'manager' && g.centre_id !== null).map((g) => g.centre_id as number));
    return centres.filter((c) => own.has(c.id));
  }
  const area = areaOf(role, grants, centres);
  if (!area) return [...centres];
  const inArea = new Set(communesIn(communes, area).map((c) => c.id));
  for (const id of area) inArea.add(id);
  return centres.filter((c) => inArea.has(c.unit_id));
}

/**
 * The centres a role may filter the people list by: a manager's or a
 * teacher's own centres (where they hold that role), the centres of an
 * officer's area, every centre for an administrator.
 */
export function centresInScope(role: Role | null, grants: readonly Grant[], centres: readonly Centre[], communes: readonly Place[]): Centre[] {
  if (role === 'manager' || role === 'teacher' || role === 'learner') {
    const own = new Set(grants.filter((g) => g.role === role && g.centre_id !== null).map((g) => g.centre_id as number));
    return centres.filter((c) => own.has(c.id));
  }
  return centresFor(role, grants, centres, communes);
}
