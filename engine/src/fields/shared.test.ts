import { describe, expect, it } from 'vitest';
import { timestampToIso } from './shared.ts';

describe('timestampToIso', () => {
  it('turns what Postgres prints in a UTC session into ISO 8601 with milliseconds, as Date would', () => {
    for (const text of [
      '2026-01-02 03:04:05+00',
      '2026-01-02 03:04:05.6+00',
      '2026-01-02 03:04:05.678+00',
      '2026-01-02 03:04:05.678912+00',
      '1999-12-31 23:59:59.999999+00',
    ]) {
      const viaDate = new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')).toISOString();
      expect(timestampToIso(text), text).toBe(viaDate);
    }
  });

  it('still reads other offsets and Date values', () => {
    expect(timestampToIso('2026-01-02 11:04:05.5+08')).toBe('2026-01-02T03:04:05.500Z');
    expect(timestampToIso(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02T00:00:00.000Z');
    expect(timestampToIso(null)).toBeNull();
  });
});
