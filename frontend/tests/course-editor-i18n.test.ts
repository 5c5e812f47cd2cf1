// The course editor's lazy strings follow the main catalogue's rules.
import { describe, expect, it } from 'vitest';
import vi from '../src/routes/courses/editor.vi';
import en from '../src/routes/courses/editor.en';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('course editor strings', () => {
  it('has the same keys in Vietnamese and English, none empty, the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const k of Object.keys(vi) as (keyof typeof vi)[]) {
      expect(vi[k].trim(), k).not.toBe('');
      expect(en[k].trim(), k).not.toBe('');
      expect(placeholders(en[k]), k).toEqual(placeholders(vi[k]));
    }
  });
});
