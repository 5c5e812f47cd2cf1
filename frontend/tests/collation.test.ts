import { describe, expect, it } from 'vitest';
import { compareVi, fold, givenName, lowerForSearch, matches, sortBy, sortPeople } from '../src/lib/collation';

describe('Vietnamese collation', () => {
  it('orders the Vietnamese alphabet: a ă â, d đ, e ê, o ô ơ, u ư', () => {
    const words = ['Ư', 'U', 'Ơ', 'Ô', 'O', 'Ê', 'E', 'Đ', 'D', 'Â', 'Ă', 'A'];
    expect([...words].sort(compareVi)).toEqual(['A', 'Ă', 'Â', 'D', 'Đ', 'E', 'Ê', 'O', 'Ô', 'Ơ', 'U', 'Ư']);
  });

  it('puts Đ after every D word, unlike code-point order would not', () => {
    expect(['Đức', 'Dũng', 'Em', 'Dương'].sort(compareVi)).toEqual(['Dũng', 'Dương', 'Đức', 'Em']);
  });

  it('compares decomposed and composed input alike', () => {
    expect(compareVi('Nguyễn', 'Nguye\u0302\u0303n')).toBe(0);
  });

  it('sorts people by given name, then full name', () => {
    const people = [
      { id: 1, full_name: 'Trần Văn Bình' },
      { id: 2, full_name: 'Lò Thị Ánh' },
      { id: 3, full_name: 'Nguyễn Văn An' },
      { id: 4, full_name: 'Đỗ Thị Đào' },
      { id: 5, full_name: 'Vàng A Dính' },
      { id: 6, full_name: 'Lê Văn An' },
    ];
    expect(sortPeople(people).map((p) => p.full_name)).toEqual([
      'Lê Văn An',
      'Nguyễn Văn An',
      'Lò Thị Ánh',
      'Trần Văn Bình',
      'Vàng A Dính',
      'Đỗ Thị Đào',
    ]);
  });

  it('prefers the given_name the server sends', () => {
    const people = [
      { full_name: 'Giàng Seo Páo', given_name: 'Páo' },
      { full_name: 'Hoàng Anh', given_name: 'Anh' },
    ];
    expect(sortPeople(people)[0].full_name).toBe('Hoàng Anh');
    expect(givenName('  Lò   Văn  Tủa ')).toBe('Tủa');
  });

  it('sorts any list by a key', () => {
    expect(sortBy([{ n: 'Sìn Hồ' }, { n: 'Bình Lư' }, { n: 'Đoàn Kết' }, { n: 'Tân Phong' }], (x) => x.n).map((x) => x.n)).toEqual([
      'Bình Lư',
      'Đoàn Kết',
      'Sìn Hồ',
      'Tân Phong',
    ]);
  });
});

describe('searching with or without diacritics', () => {
  it('folds tones, vowel marks and đ', () => {
    expect(fold('Đoàn  Kết')).toBe('doan ket');
    expect(fold('TTHTCĐ phường Tân Phong')).toBe('tthtcd phuong tan phong');
  });

  it('a query without diacritics matches names with or without them', () => {
    expect(matches('Đoàn Kết', 'doan ket')).toBe(true);
    expect(matches('Doan Ket', 'doan')).toBe(true);
    expect(matches('Sìn Hồ', 'sin ho')).toBe(true);
  });

  it('a query with diacritics must match them', () => {
    expect(matches('Đoàn Kết', 'Đoàn')).toBe(true);
    expect(matches('Doan Ket', 'Đoàn')).toBe(false);
    expect(matches('Tân Phong', 'tấn')).toBe(false);
  });

  it('an empty query matches everything', () => {
    expect(matches('Bình Lư', '  ')).toBe(true);
  });

  it('either tone placement of oa, oe and uy finds the other', () => {
    const pairs: [string, string][] = [
      ['Hòa', 'Hoà'], ['Thủy', 'Thuỷ'], ['khỏe', 'khoẻ'],
      ['oà', 'òa'], ['oá', 'óa'], ['oả', 'ỏa'], ['oã', 'õa'], ['oạ', 'ọa'], ['oè', 'òe'],
      ['uý', 'úy'], ['uỳ', 'ùy'], ['uỷ', 'ủy'], ['uỹ', 'ũy'], ['uỵ', 'ụy'],
    ];
    for (const [a, b] of pairs) {
      expect(matches(`Nguyễn Thị ${a}`, b), `${b} finds ${a}`).toBe(true);
      expect(matches(`Nguyễn Thị ${b}`, a), `${a} finds ${b}`).toBe(true);
      expect(matches(`Nguyễn Thị ${a}`, b.normalize('NFD')), `NFD ${b} finds ${a}`).toBe(true);
    }
    expect(matches('Trần Văn Hỏa', 'Hoà')).toBe(false);
    expect(matches('Lò Thị Thủy', 'thuy')).toBe(true);
  });

  it('puts the tone on the second vowel, as the server key does', () => {
    expect(lowerForSearch('  HÒA   Bình ')).toBe('hoà bình');
    expect(lowerForSearch('Thủy')).toBe('thuỷ');
    expect(lowerForSearch('Hoàng Huỳnh')).toBe('hoàng huỳnh');
  });
});
