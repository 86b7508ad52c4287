import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';
import { describe, expect, it } from 'vitest';
import { checkFeel, compileFeel } from './compile.ts';
import { FeelCompileError } from './errors.ts';
import type { FeelScope } from './types.ts';

const scope: FeelScope = { variables: { amount: 'number', status: 'string', items: 'list' } };

/** The position feelin's own SyntaxError reports for `source`. */
function feelinPosition(source: string) {
  try {
    evaluate(source, { amount: 1, status: 'a', items: [] });
  } catch (error) {
    if (error instanceof FeelSyntaxError) return error.position;
  }
  throw new Error(`no syntax error in ${source}`);
}

describe('syntax problems', () => {
  it('reports an incomplete expression at its end, where feelin does', () => {
    const problems = checkFeel('amount +', scope);
    expect(problems).toEqual([
      { kind: 'syntax', message: 'Incomplete arithmetic expression', from: 8, to: 8 },
    ]);
    expect(feelinPosition('amount +')).toEqual({ from: 8, to: 8 });
  });

  it('reports an unexpected token with its range', () => {
    const problems = checkFeel('amount > 1 1', scope);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'syntax', from: 11, to: 12 });
    expect(problems[0].message).toBe('Unexpected "1"');
    expect(feelinPosition('amount > 1 1')).toEqual({ from: 11, to: 12 });
  });

  it('names the unfinished construct', () => {
    expect(checkFeel('if amount > 1 then "big" else', scope)[0].message).toBe(
      'Incomplete "if … then … else" expression',
    );
    expect(checkFeel('count(items) > 2 and', scope)[0]).toMatchObject({
      message: 'Incomplete "and" expression',
      from: 20,
      to: 20,
    });
  });

  it('lists every syntax error, not just the first', () => {
    const problems = checkFeel('amount + * 2 +', scope);
    expect(problems.map((p) => [p.from, p.to])).toEqual([
      [9, 10],
      [14, 14],
    ]);
    expect(problems.every((p) => p.kind === 'syntax')).toBe(true);
  });

  it('matches feelin on the first error of assorted broken expressions', () => {
    for (const source of [
      'amount > ) + (',
      'sum(items',
      '[1, 2',
      '{ a: 1',
      'status = "open',
      'amount ** * 2',
      '(amount',
      'amount)',
      'for x in',
    ]) {
      const problems = checkFeel(source, scope);
      expect(problems.length, source).toBeGreaterThan(0);
      expect(
        problems.every((p) => p.kind === 'syntax'),
        source,
      ).toBe(true);
      const { from, to } = feelinPosition(source);
      expect(problems[0], source).toMatchObject({ from, to });
    }
  });

  it('reports an empty expression', () => {
    expect(checkFeel('', scope)).toEqual([
      { kind: 'syntax', message: 'The expression is empty', from: 0, to: 0 },
    ]);
    expect(checkFeel('   ', scope)).toEqual([
      { kind: 'syntax', message: 'The expression is empty', from: 0, to: 3 },
    ]);
  });

  it('reports syntax and reference problems together, in source order', () => {
    const problems = checkFeel('amout + foo(1) +', scope);
    expect(problems.map((p) => p.kind)).toEqual(['unknown-variable', 'unknown-function', 'syntax']);
  });

  it('turns build-time failures into problems, not exceptions', () => {
    const problems = checkFeel('@"-2020-01-01"', scope);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'syntax', from: 0, to: 14 });
  });

  it('throws a FeelCompileError carrying the source and every problem', () => {
    let thrown: unknown;
    try {
      compileFeel('amout + ', scope);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FeelCompileError);
    expect(thrown).toBeInstanceOf(Error);
    const error = thrown as FeelCompileError;
    expect(error.name).toBe('FeelCompileError');
    expect(error.source).toBe('amout + ');
    expect(error.problems).toEqual(checkFeel('amout + ', scope));
    expect(error.problems.map((p) => p.kind)).toEqual(['unknown-variable', 'syntax']);
    expect(error.message).toContain('Unknown variable "amout"');
  });

  it('does not crash on unicode or odd input', () => {
    for (const source of [
      '客户名称 + 1',
      '"客户" + status',
      'amount ÷ 2',
      '\u0000',
      '"\\u{1F600}"',
      '`x`',
      '#',
      'a'.repeat(5000),
    ]) {
      expect(() => checkFeel(source, scope), source).not.toThrow();
    }
    expect(checkFeel('客户名称 + 1', scope)).toEqual([
      { kind: 'unknown-variable', message: 'Unknown variable "客户名称"', from: 0, to: 4 },
    ]);
    expect(compileFeel('"客户" + status', scope).evaluate({ status: '名称' }).value).toBe('客户名称');
  });

  it('stays bounded on pathologically nested input', () => {
    const nested = `${'('.repeat(5000)}amount${')'.repeat(5000)}`;
    const problems = checkFeel(nested, scope);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThanOrEqual(50);
    expect(
      compileFeel(`${'('.repeat(500)}amount${')'.repeat(500)}`, scope).evaluate({ amount: 1 }).value,
    ).toBe(1);
  });

  it('rejects a non-string source', () => {
    expect(() => compileFeel(42 as unknown as string, scope)).toThrow(TypeError);
  });
});

describe('`in` followed by and/or', () => {
  const flags: FeelScope = { variables: { status: 'string', amount: 'number', vip: 'boolean' } };

  it('is refused where it reads differently from how it parses, naming the fix', () => {
    // feelin's grammar: `in` takes the whole `[..] and vip` as its test, so this is never true
    expect(evaluate('status in ["a", "b"] and vip', { status: 'a', vip: true }).value).not.toBe(true);
    expect(checkFeel('status in ["a", "b"] and vip', flags)).toEqual([
      {
        kind: 'syntax',
        message:
          '"status in ["a", "b"] and vip" reads as "status in (["a", "b"] and vip)": "in" takes everything after it as its test. Write "(status in ["a", "b"]) and …"',
        from: 0,
        to: 28,
      },
    ]);
    expect(checkFeel('amount > 3 or status in "x" or vip', flags).map((p) => p.message)).toEqual([
      '"status in "x" or vip" reads as "status in ("x" or vip)": "in" takes everything after it as its test. Write "(status in "x") or …"',
    ]);
  });

  it('passes the spellings that say what they mean', () => {
    for (const source of [
      '(status in ["a", "b"]) and vip',
      'status in ("a", "b") and vip',
      'vip and status in ["a", "b"]',
      'status in (["a"] and vip)',
    ]) {
      expect(checkFeel(source, flags), source).toEqual([]);
    }
    const fixed = compileFeel('(status in ["a", "b"]) and vip', flags);
    expect(fixed.evaluate({ status: 'a', vip: true }).value).toBe(true);
  });
});
