// The attendance statuses have one vocabulary: the class grid, the
// teacher's register and self check-in name each status alike, in both
// languages; only the register's buttons use their compact form.
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../src/lib/i18n/index.svelte';
import { att } from '../src/routes/attendance/i18n';
import { at } from '../src/routes/attendance/offlineI18n';
import { ct } from '../src/routes/checkin/i18n';

const statuses = ['present', 'late', 'excused', 'absent'] as const;

describe('attendance status words', () => {
  afterEach(() => setLang('vi'));

  it('are the same on every attendance screen, in Vietnamese and English', async () => {
    for (const l of ['vi', 'en'] as const) {
      await setLang(l);
      for (const s of statuses) {
        const name = att(`status.${s}`);
        expect(at(`status.${s}`), `${l} ${s}`).toBe(name);
        expect(ct(`status.${s}`), `${l} ${s}`).toBe(name);
      }
    }
    await setLang('vi');
    expect(statuses.map((s) => att(`status.${s}`))).toEqual(['Có mặt', 'Đi muộn', 'Vắng có phép', 'Vắng']);
  });

  it('are compact only on the register buttons', async () => {
    await setLang('vi');
    expect(at('button.excused')).toBe('Có phép');
    expect(at('status.excused')).toBe('Vắng có phép');
    expect(att('grid.tally', { present: 1, late: 2, excused: 3, absent: 4 })).toBe('Có mặt 1 · Đi muộn 2 · Vắng có phép 3 · Vắng 4');
  });
});
