// The course editor's lazy strings follow the main catalogue's rules.
import { describe, expect, it } from 'vitest';
import { sameCatalogues } from './helpers';
import vi from '../src/routes/courses/editor.vi';
import en from '../src/routes/courses/editor.en';

describe('course editor strings', () => {
  it('has the same keys in Vietnamese and English, none empty, the same placeholders', () => {
    expect(sameCatalogues(vi, en)).toEqual([]);
  });
});
