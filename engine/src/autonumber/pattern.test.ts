import { describe, expect, it } from 'vitest';
import { formatNumber, parsePattern, periodKey } from './pattern.ts';

const parsed = (pattern: string) => {
  const result = parsePattern(pattern);
  if ('error' in result) throw new Error(result.error);
  return result;
};

describe('autonumber patterns', () => {
  it('fill in date tokens and pad the counter to its width, never cutting it', () => {
    const pattern = parsed('QT-{YYYY}{MM}-{0000}');
    const date = { year: 2026, month: 3, day: 9 };
    expect(formatNumber(pattern, date, 7)).toBe('QT-202603-0007');
    expect(formatNumber(pattern, date, 123456)).toBe('QT-202603-123456');
    expect(formatNumber(parsed('{YY}{DD}/{0}'), date, 5)).toBe('2609/5');
  });

  it('key the counter by the date part, so it restarts per period (or never without a date token)', () => {
    const monthly = parsed('QT-{YYYY}{MM}-{0000}');
    expect(periodKey(monthly, { year: 2026, month: 1, day: 31 })).toBe('QT-202601-{#}');
    expect(periodKey(monthly, { year: 2026, month: 2, day: 1 })).toBe('QT-202602-{#}');
    expect(periodKey(parsed('INV{000}'), { year: 2026, month: 1, day: 1 })).toBe(
      periodKey(parsed('INV{000}'), { year: 2031, month: 7, day: 4 }),
    );
    // widening the counter keeps counting on
    expect(periodKey(parsed('A-{00}'), { year: 1, month: 1, day: 1 })).toBe(
      periodKey(parsed('A-{0000}'), { year: 1, month: 1, day: 1 }),
    );
  });

  it('need exactly one counter and known tokens', () => {
    expect(parsePattern('QT-{YYYY}')).toEqual({ error: expect.stringContaining('exactly one counter') });
    expect(parsePattern('{0}-{00}')).toEqual({ error: expect.stringContaining('exactly one counter') });
    expect(parsePattern('{HH}{000}')).toEqual({ error: expect.stringContaining('unknown token {HH}') });
    expect(parsePattern('a{b{000}')).toHaveProperty('error');
    expect(parsePattern(`{${'0'.repeat(19)}}`)).toHaveProperty('error');
  });
});
