// The schedule offers the check-in and the online join inside the windows the
// server gives (GET /me/sessions): both edges included, nothing without one.
import { describe, expect, it } from 'vitest';
import { within } from '../src/routes/schedule/windows';

describe('within', () => {
  const opens = '2026-11-10T18:45:00+07:00';
  const closes = '2026-11-10T20:30:00+07:00';
  const at = (iso: string) => new Date(iso);

  it('holds from the opening to the close, both included', () => {
    expect(within(opens, closes, at('2026-11-10T18:44:59.999+07:00'))).toBe(false);
    expect(within(opens, closes, at(opens))).toBe(true);
    expect(within(opens, closes, at('2026-11-10T12:00:00Z'))).toBe(true);
    expect(within(opens, closes, at(closes))).toBe(true);
    expect(within(opens, closes, at('2026-11-10T20:30:00.001+07:00'))).toBe(false);
  });
  it('never holds where the server gives no window', () => {
    expect(within(null, null, at(opens))).toBe(false);
    expect(within(opens, null, at(opens))).toBe(false);
  });
});
