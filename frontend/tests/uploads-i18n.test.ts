// The shared upload's lazy strings follow the main catalogue's rules.
import { describe, expect, it } from 'vitest';
import { sameCatalogues } from './helpers';
import vi from '../src/lib/uploads/uploads.vi';
import en from '../src/lib/uploads/uploads.en';
import { uploadsPath } from '../src/lib/uploads/api';

describe('upload strings', () => {
  it('has the same keys in Vietnamese and English, none empty, the same placeholders', () => {
    expect(sameCatalogues(vi, en)).toEqual([]);
  });
});

describe('upload target', () => {
  it('announces a course file and a session file at their own paths', () => {
    expect(uploadsPath({ course: 7 })).toBe('/courses/7/uploads');
    expect(uploadsPath({ session: 12 })).toBe('/sessions/12/uploads');
  });
});

import svi from '../src/routes/classes/session.vi';
import sen from '../src/routes/classes/session.en';

describe('class session strings', () => {
  it('has the same keys in Vietnamese and English, none empty, the same placeholders', () => {
    expect(sameCatalogues(svi, sen)).toEqual([]);
  });
});
