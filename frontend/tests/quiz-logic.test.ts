// The quiz screens' pure rules and the learners CSV: numbers typed the
// Vietnamese way, answers as the server takes them, the countdown, and
// formula-safe cells.
import { describe, expect, it } from 'vitest';
import { choose, clock, isAnswered, parseDecimal, secondsLeft, toAnswers } from '../src/routes/courses/quizLogic';
import { safeCell, toCsv } from '../src/lib/csv';
import { sameCatalogues } from './helpers';
import vi from '../src/routes/courses/quiz.vi';
import en from '../src/routes/courses/quiz.en';

describe('parseDecimal', () => {
  it('takes the Vietnamese decimal comma and the point', () => {
    expect(parseDecimal('1,5')).toBe(1.5);
    expect(parseDecimal('1.5')).toBe(1.5);
    expect(parseDecimal(' 12 ')).toBe(12);
    expect(parseDecimal('-0,25')).toBe(-0.25);
    expect(parseDecimal(',5')).toBe(0.5);
  });
  it('reads points and spaces as thousands beside a comma, and several points as thousands', () => {
    expect(parseDecimal('1.000,5')).toBe(1000.5);
    expect(parseDecimal('1 000 000')).toBe(1000000);
    expect(parseDecimal('1.000.000')).toBe(1000000);
  });
  it('refuses what is not a number', () => {
    for (const s of ['', ' ', 'abc', '1,2,3', '1,5a', '--1', '1e5', ',', '.']) expect(parseDecimal(s), s).toBeNull();
  });
});

describe('answers', () => {
  const qs = [
    { id: 1, kind: 'single', prompt_md: 'a', options: ['x', 'y'] },
    { id: 2, kind: 'multiple', prompt_md: 'b', options: ['x', 'y', 'z'] },
    { id: 3, kind: 'true_false', prompt_md: 'c', options: [] },
    { id: 4, kind: 'numeric', prompt_md: 'd', options: [] },
    { id: 5, kind: 'numeric', prompt_md: 'e', options: [] },
  ];
  it('sends one answer per answered question, numbers parsed, choices sorted; blanks and bad numbers left out', () => {
    const given = { 1: { choices: [1] }, 2: { choices: [2, 0] }, 3: { bool: false }, 4: { text: '2,5' }, 5: { text: 'hai' } };
    expect(toAnswers(qs, given)).toEqual([
      { question_id: 1, choices: [1] },
      { question_id: 2, choices: [0, 2] },
      { question_id: 3, value_bool: false },
      { question_id: 4, value_num: 2.5 },
    ]);
    expect(isAnswered('multiple', { choices: [] })).toBe(false);
    expect(isAnswered('true_false', undefined)).toBe(false);
  });
  it('single choice keeps one option, multiple toggles', () => {
    expect(choose('single', [0], 1)).toEqual([1]);
    expect(choose('true_false', undefined, 0)).toEqual([0]);
    expect(choose('multiple', [2], 0)).toEqual([0, 2]);
    expect(choose('multiple', [0, 2], 2)).toEqual([0]);
  });
});

describe('countdown', () => {
  it('counts to the server deadline, corrected for the device clock', () => {
    const deadline = '2026-12-01T10:10:00Z';
    const now = Date.parse('2026-12-01T10:05:00Z');
    expect(secondsLeft(deadline, now)).toBe(300);
    // A phone clock two minutes fast still gets the full five minutes.
    expect(secondsLeft(deadline, now + 120_000, 120_000)).toBe(300);
    expect(secondsLeft(deadline, now + 3_600_000)).toBe(0);
    expect(clock(245)).toBe('4:05');
    expect(clock(3723)).toBe('1:02:03');
    expect(clock(-3)).toBe('0:00');
  });
});

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(safeCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    for (const c of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(c).replace(/^"/, '').startsWith("'"), JSON.stringify(c)).toBe(true);
    expect(safeCell('Nguyễn Văn An')).toBe('Nguyễn Văn An');
    expect(safeCell(-5)).toBe('-5');
    expect(safeCell(null)).toBe('');
  });
  it('writes BOM, semicolons and CRLF', () => {
    const s = toCsv([['Họ và tên', 'Tiến độ (%)'], ['=Lò Văn A; B', 50]]);
    expect(s.charCodeAt(0)).toBe(0xfeff);
    expect(s.slice(1)).toBe('Họ và tên;Tiến độ (%)\r\n"\'=Lò Văn A; B";50\r\n');
  });
});

describe('quiz strings', () => {
  it('has the same keys in Vietnamese and English, none empty, the same placeholders', () => {
    expect(sameCatalogues(vi, en)).toEqual([]);
    expect(sameCatalogues({ a: '{n} x' }, { a: 'x', b: 'y' })).toEqual(['a: placeholders differ', 'b: missing in vi']);
  });
});
