import { dateAndTime, duration, evaluate, FeelDate, FeelDateTime, FeelDuration, parseDate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { fromFeelValue, toFeelValue } from './values.ts';

describe('toFeelValue', () => {
  it('keeps null and undefined null, whatever the type', () => {
    for (const type of [
      'string',
      'number',
      'boolean',
      'date',
      'date and time',
      'list',
      'context',
      'any',
    ] as const) {
      expect(toFeelValue(null, type)).toBeNull();
      expect(toFeelValue(undefined, type)).toBeNull();
    }
  });

  it('turns a YYYY-MM-DD date into a FEEL date', () => {
    const value = toFeelValue('2024-02-29', 'date');
    expect(value).toBeInstanceOf(FeelDate);
    expect(String(value)).toBe('2024-02-29');
    expect(String(toFeelValue('2024-02-29T23:30:00Z', 'date'))).toBe('2024-02-29');
    expect(String(toFeelValue(new Date('2024-02-29T12:00:00Z'), 'date'))).toBe('2024-02-29');
  });

  it('gives null for dates that are not dates', () => {
    expect(toFeelValue('2023-02-29', 'date')).toBeNull();
    expect(toFeelValue('29.02.2024', 'date')).toBeNull();
    expect(toFeelValue('-2024-01-01', 'date')).toBeNull();
    expect(toFeelValue('', 'date')).toBeNull();
    expect(toFeelValue(20240101, 'date')).toBeNull();
    expect(toFeelValue(new Date(Number.NaN), 'date')).toBeNull();
  });

  it('turns ISO strings into FEEL date and time values', () => {
    const utc = toFeelValue('2024-05-01T10:30:00.000Z', 'date and time');
    expect(utc).toBeInstanceOf(FeelDateTime);
    expect(String(utc)).toBe('2024-05-01T10:30:00Z');
    expect(String(toFeelValue('2024-05-01T10:30:00+02:00', 'date and time'))).toBe(
      '2024-05-01T10:30:00+02:00',
    );
    expect(String(toFeelValue('2024-05-01 10:30:00+02', 'date and time'))).toBe('2024-05-01T10:30:00+02:00');
    expect(String(toFeelValue('2024-05-01T10:30', 'date and time'))).toBe('2024-05-01T10:30:00Z');
    expect(String(toFeelValue('2024-05-01', 'date and time'))).toBe('2024-05-01T00:00:00Z');
    expect(String(toFeelValue('2024-05-01T10:30:00@Europe/Paris', 'date and time'))).toBe(
      '2024-05-01T10:30:00@Europe/Paris',
    );
    expect(String(toFeelValue(new Date('2024-05-01T10:30:00Z'), 'date and time'))).toBe(
      '2024-05-01T10:30:00Z',
    );
    expect(toFeelValue('yesterday', 'date and time')).toBeNull();
    expect(toFeelValue('2024-13-01T00:00:00Z', 'date and time')).toBeNull();
    expect(toFeelValue('2024-05-01T10:30:00@Nowhere/City', 'date and time')).toBeNull();
  });

  it('keeps numbers and converts decimal strings', () => {
    expect(toFeelValue(12.5, 'number')).toBe(12.5);
    expect(toFeelValue('12.50', 'number')).toBe(12.5);
    expect(toFeelValue('-0.1', 'number')).toBe(-0.1);
    expect(toFeelValue('1e3', 'number')).toBe(1000);
    expect(toFeelValue(10n, 'number')).toBe(10);
    expect(toFeelValue('12,5', 'number')).toBeNull();
    expect(toFeelValue('abc', 'number')).toBeNull();
    expect(toFeelValue('', 'number')).toBeNull();
    expect(toFeelValue(Number.NaN, 'number')).toBeNull();
    expect(toFeelValue(Number.POSITIVE_INFINITY, 'number')).toBeNull();
    expect(toFeelValue(true, 'number')).toBeNull();
  });

  it('converts strings and booleans', () => {
    expect(toFeelValue('open', 'string')).toBe('open');
    expect(toFeelValue(42, 'string')).toBe('42');
    expect(toFeelValue({}, 'string')).toBeNull();
    expect(toFeelValue(true, 'boolean')).toBe(true);
    expect(toFeelValue('false', 'boolean')).toBe(false);
    expect(toFeelValue(1, 'boolean')).toBeNull();
  });

  it('copies lists and contexts as plain data only', () => {
    class Secret {
      run() {
        return 'ran';
      }
    }
    const input = {
      name: 'Ann',
      tags: ['a', 1, null, true],
      nested: { deep: { value: 1 } },
      fn: () => 'ran',
      instance: new Secret(),
      map: new Map([['a', 1]]),
      symbol: Symbol('s'),
      infinite: Number.POSITIVE_INFINITY,
    };
    const value = toFeelValue(input, 'context') as Record<string, unknown>;
    expect(value).toEqual({
      name: 'Ann',
      tags: ['a', 1, null, true],
      nested: { deep: { value: 1 } },
      fn: null,
      instance: null,
      map: null,
      symbol: null,
      infinite: null,
    });
    expect(value).not.toBe(input);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(toFeelValue([1, { a: () => 1 }], 'list')).toEqual([1, { a: null }]);
    expect(toFeelValue('x', 'list')).toBeNull();
    expect(toFeelValue([1], 'context')).toBeNull();
  });

  it('drops __proto__ keys and accepts null-prototype objects', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const value = toFeelValue(hostile, 'any') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const bare = Object.assign(Object.create(null), { b: 2 });
    expect(toFeelValue(bare, 'context')).toEqual({ b: 2 });
  });

  it('passes functions as null and keeps feelin temporal values', () => {
    expect(toFeelValue(() => 1, 'any')).toBeNull();
    const date = parseDate('2024-01-01');
    expect(toFeelValue(date, 'any')).toBe(date);
    expect(toFeelValue(date, 'date')).toBe(date);
  });

  it('cuts off absurdly deep nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => toFeelValue(deep, 'list')).not.toThrow();
  });
});

describe('fromFeelValue', () => {
  const feel = (source: string) => evaluate(source).value;

  it('keeps null null', () => {
    expect(fromFeelValue(null, { kind: 'text' })).toBeNull();
    expect(fromFeelValue(undefined, { kind: 'decimal', scale: 2 })).toBeNull();
  });

  it('stores dates as YYYY-MM-DD', () => {
    expect(fromFeelValue(feel('date("2024-02-29")'), { kind: 'date' })).toBe('2024-02-29');
    expect(fromFeelValue(feel('date("2024-02-29") + duration("P1D")'), { kind: 'date' })).toBe('2024-03-01');
    // a date and time gives its own calendar date
    expect(fromFeelValue(feel('date and time("2024-02-29T23:30:00-05:00")'), { kind: 'date' })).toBe(
      '2024-02-29',
    );
    expect(fromFeelValue('2024-02-29', { kind: 'date' })).toBe('2024-02-29');
    expect(fromFeelValue('2023-02-29', { kind: 'date' })).toBeNull();
    expect(fromFeelValue(5, { kind: 'date' })).toBeNull();
  });

  it('stores date-times as ISO 8601 UTC ending in Z', () => {
    const iso = (source: string) => fromFeelValue(feel(source), { kind: 'datetime' });
    expect(iso('date and time("2024-05-01T10:30:00Z")')).toBe('2024-05-01T10:30:00.000Z');
    expect(iso('date and time("2024-05-01T10:30:00+02:00")')).toBe('2024-05-01T08:30:00.000Z');
    expect(iso('date and time("2024-05-01T10:30:00-05:30")')).toBe('2024-05-01T16:00:00.000Z');
    expect(iso('date and time("2024-01-15T10:30:00@Europe/Paris")')).toBe('2024-01-15T09:30:00.000Z');
    expect(iso('date and time("2024-07-15T10:30:00@Europe/Paris")')).toBe('2024-07-15T08:30:00.000Z');
    expect(iso('date and time("2024-05-01T10:30:00.250Z")')).toBe('2024-05-01T10:30:00.250Z');
    expect(iso('date and time("2024-05-01T10:30:00")')).toBe('2024-05-01T10:30:00.000Z'); // zone-less: UTC
    expect(iso('date("2024-05-01")')).toBe('2024-05-01T00:00:00.000Z');
    expect(fromFeelValue(dateAndTime('2024-05-01T10:30:00+00:00:30'), { kind: 'datetime' })).toBe(
      '2024-05-01T10:29:30.000Z',
    );
    expect(fromFeelValue('2024-05-01T10:30:00+02:00', { kind: 'datetime' })).toBe('2024-05-01T08:30:00.000Z');
    expect(fromFeelValue(String(feel('now()')), { kind: 'datetime' })).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(fromFeelValue(feel('now()'), { kind: 'datetime' })).toMatch(/Z$/);
  });

  it('does not store durations', () => {
    const days = feel('date("2024-03-01") - date("2024-02-01")');
    expect(days).toBeInstanceOf(FeelDuration);
    for (const kind of ['text', 'number', 'integer', 'boolean', 'date', 'datetime'] as const) {
      expect(fromFeelValue(days, { kind })).toBeNull();
    }
    expect(fromFeelValue(duration('P1Y'), { kind: 'decimal', scale: 2 })).toBeNull();
  });

  it('rounds decimals to the scale and integers half up', () => {
    expect(fromFeelValue(0.1 + 0.2, { kind: 'decimal', scale: 2 })).toBe(0.3);
    expect(fromFeelValue(1.005, { kind: 'decimal', scale: 2 })).toBe(1.01);
    expect(fromFeelValue(-1.005, { kind: 'decimal', scale: 2 })).toBe(-1.01);
    expect(fromFeelValue('12.345', { kind: 'decimal', scale: 2 })).toBe(12.35);
    expect(
      fromFeelValue(feel('sum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])'), {
        kind: 'decimal',
        scale: 2,
      }),
    ).toBe(1);
    expect(fromFeelValue(feel('19.99 * 3'), { kind: 'decimal', scale: 2 })).toBe(59.97);
    expect(fromFeelValue(feel('100 * 1.15'), { kind: 'decimal', scale: 2 })).toBe(115);
    expect(fromFeelValue(2.5, { kind: 'integer' })).toBe(3);
    expect(fromFeelValue(-2.5, { kind: 'integer' })).toBe(-3);
    expect(fromFeelValue(2.4999, { kind: 'integer' })).toBe(2);
    expect(fromFeelValue(7, { kind: 'integer' })).toBe(7);
    expect(fromFeelValue('abc', { kind: 'decimal', scale: 2 })).toBeNull();
    expect(fromFeelValue(true, { kind: 'integer' })).toBeNull();
    expect(fromFeelValue(Number.NaN, { kind: 'decimal', scale: 2 })).toBeNull();
    expect(fromFeelValue(1, { kind: 'decimal', scale: -1 })).toBeNull();
  });

  it('stores numbers without binary noise', () => {
    expect(fromFeelValue(0.1 + 0.2, { kind: 'number' })).toBe(0.3);
    expect(fromFeelValue(42, { kind: 'number' })).toBe(42);
    expect(fromFeelValue('4.5', { kind: 'number' })).toBe(4.5);
    expect(fromFeelValue(Number.POSITIVE_INFINITY, { kind: 'number' })).toBeNull();
    expect(fromFeelValue('x', { kind: 'number' })).toBeNull();
  });

  it('stores text', () => {
    expect(fromFeelValue('Ann', { kind: 'text' })).toBe('Ann');
    expect(fromFeelValue(12, { kind: 'text' })).toBe('12');
    expect(fromFeelValue(0.1 + 0.2, { kind: 'text' })).toBe('0.3');
    expect(fromFeelValue(false, { kind: 'text' })).toBe('false');
    expect(fromFeelValue(feel('date("2024-01-02")'), { kind: 'text' })).toBe('2024-01-02');
    expect(fromFeelValue(feel('date and time("2024-01-02T03:04:05+01:00")'), { kind: 'text' })).toBe(
      '2024-01-02T02:04:05.000Z',
    );
    expect(fromFeelValue(feel('time("10:30:00")'), { kind: 'text' })).toBe('10:30:00');
    expect(fromFeelValue([1, 2], { kind: 'text' })).toBeNull();
    expect(fromFeelValue({ a: 1 }, { kind: 'text' })).toBeNull();
  });

  it('stores booleans only from booleans', () => {
    expect(fromFeelValue(true, { kind: 'boolean' })).toBe(true);
    expect(fromFeelValue(false, { kind: 'boolean' })).toBe(false);
    expect(fromFeelValue('true', { kind: 'boolean' })).toBeNull();
    expect(fromFeelValue(1, { kind: 'boolean' })).toBeNull();
  });

  it('gives null for functions, ranges, lists and contexts', () => {
    expect(fromFeelValue(feel('sum'), { kind: 'text' })).toBeNull();
    expect(fromFeelValue(feel('[1..3]'), { kind: 'text' })).toBeNull();
    expect(fromFeelValue([1], { kind: 'number' })).toBeNull();
    expect(fromFeelValue({ a: 1 }, { kind: 'decimal', scale: 2 })).toBeNull();
  });

  it('round-trips stored dates and date-times', () => {
    expect(fromFeelValue(toFeelValue('2024-02-29', 'date'), { kind: 'date' })).toBe('2024-02-29');
    expect(
      fromFeelValue(toFeelValue('2024-05-01T10:30:00.000Z', 'date and time'), { kind: 'datetime' }),
    ).toBe('2024-05-01T10:30:00.000Z');
  });
});
