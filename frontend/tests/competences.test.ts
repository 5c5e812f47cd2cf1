import { describe, expect, it } from 'vitest';
import { groupByFramework, indexFrameworks, kindsOf, levelAt } from '../src/lib/competences';

const frameworks = indexFrameworks([
  {
    id: 1,
    code: 'tt02-2025',
    kind: 'digital_skills',
    name_vi: 'TT 02',
    name_en: 'TT 02',
    areas: [{ id: 10, code: '1', name_vi: 'Khai thác', name_en: 'Information' }],
    competences: [
      { id: 101, area_id: 10, code: '1.1', name_vi: 'Duyệt', name_en: 'Browsing', position: 1 },
      { id: 102, area_id: 10, code: '1.2', name_vi: 'Đánh giá', name_en: 'Evaluating', position: 2 },
    ],
    levels: [{ step: 1, level: 1, code: 'CB1', name_vi: 'Cơ bản – bậc 1', name_en: 'Basic – step 1' }],
  },
  // A framework without levels or areas, with lists left out by the server.
  { id: 2, code: 'tt03-2014', kind: 'it_application', name_vi: 'TT 03', name_en: 'TT 03', competences: [{ id: 201, code: 'IU01', name_vi: 'CNTT cơ bản', name_en: 'Basic IT', position: 1 }] },
]);

describe('competences', () => {
  it('indexes competences by id with their framework and area', () => {
    expect(frameworks.byId.get(102)?.area?.code).toBe('1');
    expect(frameworks.byId.get(201)?.framework.code).toBe('tt03-2014');
    expect(frameworks.byId.get(201)?.area).toBeNull();
    expect(frameworks.frameworks[1].levels).toEqual([]);
  });

  it('names the level of a step, and none for step 0 or a framework without levels', () => {
    const tt02 = frameworks.frameworks[0];
    expect(levelAt(tt02, 1)?.code).toBe('CB1');
    expect(levelAt(tt02, 0)).toBeNull();
    expect(levelAt(frameworks.frameworks[1], 1)).toBeNull();
  });

  it('groups tags by framework in the frameworks order and says which kinds of training they make', () => {
    const tags = [{ competence_id: 201 }, { competence_id: 102, level_step: 1 }, { competence_id: 101 }, { competence_id: 999 }];
    const groups = groupByFramework(tags, frameworks);
    expect(groups.map((g) => g.framework.code)).toEqual(['tt02-2025', 'tt03-2014']);
    expect(groups[0].items.map((i) => i.ref.competence.code)).toEqual(['1.1', '1.2']);
    expect(kindsOf(tags, frameworks.byId)).toEqual(['digital_skills', 'it_application']);
    expect(kindsOf([{ competence_id: 201 }], frameworks.byId)).toEqual(['it_application']);
  });
});
