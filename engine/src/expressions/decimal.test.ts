import { describe, expect, it } from 'vitest';
import { normalizeFloat, roundDecimal } from './decimal.ts';

describe('roundDecimal', () => {
  it('removes float drift before rounding', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(roundDecimal(0.1 + 0.2, 2)).toBe(0.3);
  });

  it('rounds half up, exactly', () => {
    expect(roundDecimal(1.005, 2)).toBe(1.01);
    expect(roundDecimal(1.0049999999999999, 2)).toBe(1.01); // the float nearest to 1.005
    expect(roundDecimal(2.675, 2)).toBe(2.68); // 2.67499999999999982236431605997495353221893310546875
    expect(roundDecimal(1.004, 2)).toBe(1);
    expect(roundDecimal(0.125, 2)).toBe(0.13);
    expect(roundDecimal(1.45, 1)).toBe(1.5);
  });

  it('rounds half away from zero for negative values', () => {
    expect(roundDecimal(-1.005, 2)).toBe(-1.01);
    expect(roundDecimal(-2.5, 0)).toBe(-3);
    expect(roundDecimal(-0.125, 2)).toBe(-0.13);
  });

  it('takes strings as exact decimals', () => {
    expect(roundDecimal('12.345', 2)).toBe(12.35);
    expect(roundDecimal('12.344999999999999999999', 2)).toBe(12.34);
    expect(roundDecimal(' -0.5 ', 0)).toBe(-1);
    expect(roundDecimal('1e2', 0)).toBe(100);
  });

  it('keeps money sums exact', () => {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += 0.1;
    expect(sum).not.toBe(1);
    expect(roundDecimal(sum, 2)).toBe(1);
    expect(roundDecimal(19.99 * 3, 2)).toBe(59.97);
    expect(0.1 * 3).not.toBe(0.3);
    expect(roundDecimal(0.1 * 3, 2)).toBe(0.3);
    expect(roundDecimal(9.95 * 3, 2)).toBe(29.85); // 29.849999999999998
    expect(100 * 1.15).not.toBe(115);
    expect(roundDecimal(100 * 1.15, 2)).toBe(115);
    expect(roundDecimal(1.1 * 1.1, 2)).toBe(1.21);
    expect(roundDecimal(0.07 * 100, 0)).toBe(7);
    expect(roundDecimal(4.35 * 100, 0)).toBe(435); // 434.99999999999994
    expect(roundDecimal(1234567.891 * 0.19, 2)).toBe(234567.9);
    const lines = [19.99, 5.01, 0.3, 74.7];
    expect(
      roundDecimal(
        lines.reduce((a, b) => a + b, 0),
        2,
      ),
    ).toBe(100);
  });

  it('rounds to whole numbers and large scales', () => {
    expect(roundDecimal(2.5, 0)).toBe(3);
    expect(roundDecimal(2.4999, 0)).toBe(2);
    expect(roundDecimal(1 / 3, 6)).toBe(0.333333);
    expect(roundDecimal(123.456, 10)).toBe(123.456);
  });

  it('never returns negative zero', () => {
    expect(Object.is(roundDecimal(-0.001, 2), 0)).toBe(true);
    expect(Object.is(roundDecimal(-0, 2), 0)).toBe(true);
  });

  it('keeps safe integers as they are', () => {
    expect(roundDecimal(9007199254740991, 0)).toBe(9007199254740991);
    expect(roundDecimal(123456789012345, 2)).toBe(123456789012345);
  });

  it('passes non-finite numbers through', () => {
    expect(roundDecimal(Number.NaN, 2)).toBeNaN();
    expect(roundDecimal(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a bad scale or a non-decimal string', () => {
    expect(() => roundDecimal(1, -1)).toThrow(RangeError);
    expect(() => roundDecimal(1, 1.5)).toThrow(RangeError);
    expect(() => roundDecimal('abc', 2)).toThrow(RangeError);
    expect(() => roundDecimal('', 2)).toThrow(RangeError);
    expect(() => roundDecimal('0x10', 2)).toThrow(RangeError);
  });
});

describe('normalizeFloat', () => {
  it('matches Number(x.toPrecision(15))', () => {
    for (const x of [0.1 + 0.2, 19.99 * 3, 100 * 1.15, 1 / 3, 2 / 3, 1e-20 / 3, 123456.789e10 / 7]) {
      expect(normalizeFloat(x)).toBe(Number(x.toPrecision(15)));
    }
  });
});
