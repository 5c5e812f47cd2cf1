// What each role may use in the app. The server enforces every permission;
// this table only decides what the navigation shows and which pages refuse.

import { t } from './i18n/index.svelte';
import type { Grant, Role } from './types';

export const ROLES: readonly Role[] = ['admin', 'officer', 'manager', 'teacher', 'learner'];

/** The home page of each role. */
export const HOME: Record<Role, string> = {
  admin: '/quan-tri',
  officer: '/khuyen-hoc',
  manager: '/quan-ly',
  teacher: '/giao-vien',
  learner: '/hoc-vien',
};

/** Roles that administer people (list, create, edit, import, grant roles). */
export const PEOPLE_ADMINS: readonly Role[] = ['admin', 'officer', 'manager'];

/** Roles that manage courses (list, edit or read drafts; the server decides which courses). */
export const COURSE_STAFF: readonly Role[] = ['admin', 'officer', 'manager', 'teacher'];

/** Roles that see classes, their calendar and venues (managers change them; the others read what the server lets them). */
export const CLASS_STAFF: readonly Role[] = ['admin', 'officer', 'manager', 'teacher'];

/** The roles a holder of `role` may offer to grant (the server has the last word, per scope). */
export const GRANTABLE: Record<Role, readonly Role[]> = {
  admin: ['admin', 'officer', 'manager', 'teacher', 'learner'],
  officer: ['officer', 'manager', 'teacher', 'learner'],
  manager: ['teacher', 'learner'],
  teacher: [],
  learner: [],
};

/** Which scope a grant of each role is given at. */
export function scopeOf(role: Role): 'system' | 'unit' | 'centre' {
  if (role === 'admin') return 'system';
  if (role === 'officer') return 'unit';
  return 'centre';
}

/** The distinct roles held, in the order of ROLES. */
export function heldRoles(grants: readonly Grant[]): Role[] {
  const held = new Set(grants.map((g) => g.role));
  return ROLES.filter((r) => held.has(r));
}

/** The role to start in: the remembered one if still held, else the first held. */
export function defaultRole(grants: readonly Grant[], remembered: string | null): Role | null {
  const held = heldRoles(grants);
  if (remembered && (held as string[]).includes(remembered)) return remembered as Role;
  return held[0] ?? null;
}

/** Which roles may open a page (null: any signed-in person). */
export function allowedRoles(path: string): readonly Role[] | null {
  for (const role of ROLES) if (path === HOME[role]) return [role];
  if (path === '/nguoi' || path.startsWith('/nguoi/')) return PEOPLE_ADMINS;
  if (path.startsWith('/quan-tri/')) return ['admin'];
  if (path.startsWith('/giao-vien/')) return ['teacher'];
  if (path === '/lop-hoc/moi') return ['admin', 'manager'];
  // A class's page: also a learner's, for a class they may see (the server decides).
  if (/^\/lop-hoc\/\d+$/.test(path)) return null;
  if (path === '/lop-hoc' || path.startsWith('/lop-hoc/')) return CLASS_STAFF;
  if (path === '/lop-gan-toi' || path === '/lich-hoc') return ['learner'];
  if (path === '/khoa-hoc' || path === '/khoa-hoc/moi' || path === '/thu-vien' || /^\/khoa-hoc\/[^/]+\/(sua|hoc-vien)$/.test(path)) return COURSE_STAFF;
  return null;
}

/** The grants of one role. */
export function grantsOf(grants: readonly Grant[], role: Role): Grant[] {
  return grants.filter((g) => g.role === role);
}

/** Where a grant applies, for showing: its centre or unit, else "self" or the whole system. */
export function scopeName(g: Grant): string {
  return g.centre_name ?? g.unit_name ?? (g.scope_kind === 'self' ? t('roles.self') : t('roles.system'));
}
