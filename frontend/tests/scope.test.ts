import { describe, expect, it } from 'vitest';
import { areaOf, centresFor, centresInScope, communesIn } from '../src/lib/scope';
import type { Centre, Grant } from '../src/lib/types';

const units = [
  { id: 1, parent_id: null }, // Lai Châu
  { id: 3, parent_id: 1 }, // Tân Phong
  { id: 4, parent_id: 1 }, // Đoàn Kết
  { id: 9, parent_id: 8 }, // another province's commune
];
const communes = units.filter((u) => u.parent_id !== null);
const centres: Centre[] = [
  { id: 1, name: 'TTHTCĐ phường Tân Phong', unit_id: 3, unit_name: 'Tân Phong', address: '' },
  { id: 2, name: 'TTHTCĐ phường Đoàn Kết', unit_id: 4, unit_name: 'Đoàn Kết', address: '' },
  { id: 5, name: 'TTHTCĐ xã Khác', unit_id: 9, unit_name: 'Khác', address: '' },
];
const g = (role: Grant['role'], scope: Partial<Grant>): Grant => ({ id: 1, role, scope_kind: 'centre', unit_id: null, unit_name: null, centre_id: null, centre_name: null, ...scope });

describe('scope of forms', () => {
  it('an administrator sees everything', () => {
    expect(areaOf('admin', [g('admin', {})], centres)).toBeNull();
    expect(centresFor('admin', [], centres, communes)).toHaveLength(3);
  });

  it('a centre manager picks their centre’s commune and grants at their own centre only', () => {
    const grants = [g('manager', { centre_id: 1 }), g('teacher', { centre_id: 2 })];
    const area = areaOf('manager', grants, centres);
    expect([...(area ?? [])]).toEqual([3]);
    expect(communesIn(communes, area).map((c) => c.id)).toEqual([3]);
    expect(centresFor('manager', grants, centres, communes).map((c) => c.id)).toEqual([1]);
  });

  it('a province officer covers the province’s communes and centres', () => {
    const grants = [g('officer', { scope_kind: 'province', unit_id: 1 })];
    const area = areaOf('officer', grants, centres);
    expect(communesIn(communes, area).map((c) => c.id)).toEqual([3, 4]);
    expect(centresFor('officer', grants, centres, communes).map((c) => c.id)).toEqual([1, 2]);
  });

  it('a commune officer covers that commune', () => {
    const grants = [g('officer', { scope_kind: 'commune', unit_id: 4 })];
    expect(centresFor('officer', grants, centres, communes).map((c) => c.id)).toEqual([2]);
    expect(communesIn(communes, areaOf('officer', grants, centres)).map((c) => c.id)).toEqual([4]);
  });

  it('falls back to the whole list when it cannot tell', () => {
    expect(communesIn(communes, new Set([77])).map((c) => c.id)).toEqual([3, 4, 9]);
  });
});

describe('centres the people list can be filtered by', () => {
  const ids = (cs: Centre[]) => cs.map((c) => c.id);
  it.each([
    ['admin', [g('admin', { scope_kind: 'system' })], [1, 2, 5]],
    ['officer', [g('officer', { scope_kind: 'province', unit_id: 1 })], [1, 2]],
    ['officer', [g('officer', { scope_kind: 'commune', unit_id: 3 })], [1]],
    ['manager', [g('manager', { centre_id: 1 }), g('teacher', { centre_id: 2 })], [1]],
    ['teacher', [g('manager', { centre_id: 1 }), g('teacher', { centre_id: 2 })], [2]],
    ['teacher', [g('teacher', { centre_id: 5 })], [5]],
  ] as const)('%s with %j sees %j', (role, grants, want) => {
    expect(ids(centresInScope(role, grants, centres, communes))).toEqual(want);
  });
});
