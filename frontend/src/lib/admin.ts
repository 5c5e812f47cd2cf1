// What the administrator's screens read and write: the audit log, the
// administrative units, centres and association branches (GET/POST
// /api/v1/audit, /units, /centres, /branches).

import type { Api } from './api';
import type { components } from './api.gen';
import { has, t } from './i18n/index.svelte';

type Schemas = components['schemas'];

/** One line of the audit log. */
export type AuditEntry = Schemas['AuditEntry'];
/** An administrative unit with its validity period. */
export type Unit = Schemas['Unit'];
/** What an official list import did, or would do (dry run). */
export type UnitsImportResult = Schemas['UnitsImportResult'];
/** What creating a unit sends. */
export type UnitCreate = Schemas['UnitCreate'];
/** A community learning centre. */
export type Centre = Schemas['Centre'];
/** A commune branch of the learning-promotion association. */
export type Branch = Schemas['Branch'];

/** The entity kinds the audit log is read by (domain/audit.Entities). */
export const AUDIT_ENTITIES = ['person', 'person_import', 'unit', 'centre', 'branch'] as const;

/** The unit kinds an administrator creates today (the others are historical). */
export const UNIT_KINDS = ['province', 'ward', 'commune', 'special_zone'] as const;

/** The audit log of one entity kind (and one entity when entityId is set), newest first. */
export async function listAudit(api: Api, entity: string, entityId: number | null, signal?: AbortSignal): Promise<AuditEntry[]> {
  const page = await api.get<{ items: AuditEntry[] }>('/audit', { entity, entity_id: entityId ?? undefined }, signal);
  return page.items ?? [];
}

/** Every unit, closed ones included (with their successors), in the server's (Vietnamese) order. */
export async function listUnitsWithHistory(api: Api): Promise<Unit[]> {
  return (await api.get<{ items: Unit[] }>('/units', { include_expired: 'true' })).items ?? [];
}

/** Creates a unit. */
export function createUnit(api: Api, u: UnitCreate): Promise<Unit> {
  return api.request<Unit>('POST', '/units', { json: u });
}

/** Checks (dryRun) or imports an official list of units, CSV or XLSX; onUpload follows the file going up. */
export function importUnits(api: Api, file: Blob, dryRun: boolean, onUpload?: (sent: number, total: number) => void): Promise<UnitsImportResult> {
  const xlsx = file instanceof File && /\.xlsx$/i.test(file.name);
  return api.request<UnitsImportResult>('POST', '/units/import', {
    query: { dry_run: dryRun ? 'true' : 'false' },
    body: file,
    contentType: xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
    onUpload,
  });
}

/** Centres, in the server's order. */
export async function listCentres(api: Api): Promise<Centre[]> {
  return (await api.get<{ items: Centre[] }>('/centres')).items ?? [];
}

/** Creates a centre in a commune-level unit. */
export function createCentre(api: Api, c: { unit_id: number; name: string; address: string }): Promise<Centre> {
  return api.request<Centre>('POST', '/centres', { json: c });
}

/** Association branches, in the server's order. */
export async function listBranches(api: Api): Promise<Branch[]> {
  return (await api.get<{ items: Branch[] }>('/branches')).items ?? [];
}

/** Creates an association branch in a commune-level unit. */
export function createBranch(api: Api, b: { unit_id: number; name: string }): Promise<Branch> {
  return api.request<Branch>('POST', '/branches', { json: b });
}

/** An entity kind in words; an unknown kind shows its code. */
export function auditEntityLabel(entity: string): string {
  const key = 'audit.entity.' + entity;
  return has(key) ? t(key) : entity;
}

/** A unit's kind in words; a historical kind shows its code. */
export function unitKindLabel(kind: string): string {
  const key = 'units.kind.' + kind;
  return has(key) ? t(key) : kind;
}

/** An audit action in words; an unknown action shows its code. */
export function auditActionLabel(action: string): string {
  const key = 'audit.action.' + action;
  return has(key) ? t(key) : action;
}
