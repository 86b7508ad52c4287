import { compileExpression } from 'feelin';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFeel, compileFeel } from './compile.ts';
import type { FeelScope } from './types.ts';

const scope: FeelScope = { variables: { x: 'any', customer: 'context', items: 'list', amount: 'number' } };
const globals = globalThis as Record<string, unknown>;

afterEach(() => {
  delete globals.pwned;
});

describe('user text never runs JavaScript', () => {
  it('constructor and __proto__ are unknown variables', () => {
    expect(checkFeel('constructor', scope)).toMatchObject([{ kind: 'unknown-variable', from: 0, to: 11 }]);
    expect(checkFeel('__proto__', scope)).toMatchObject([{ kind: 'unknown-variable', from: 0, to: 9 }]);
    expect(checkFeel('toString()', scope)).toMatchObject([{ kind: 'unknown-function' }]);
  });

  it('x.constructor.constructor("…")() is rejected, and would give null anyway', () => {
    const source = 'x.constructor.constructor("globalThis.pwned = true")()';
    expect(checkFeel(source, scope)).toMatchObject([{ kind: 'unknown-function', from: 0, to: 25 }]);
    expect(checkFeel(source.replace('x.', 'y.'), scope)).toMatchObject([
      { kind: 'unknown-variable', from: 0, to: 1 },
    ]);
    // feelin itself, given hostile values, neither finds the constructor nor runs anything
    const raw = compileExpression(source, { x: null });
    for (const x of [{}, [], 'text', 1, { constructor: 'plain' }]) {
      expect(raw.run({ x }).value).toBeNull();
    }
    expect(globals.pwned).toBeUndefined();
  });

  it('paths to prototype members give null', () => {
    const compiled = compileFeel(
      '[customer.constructor, customer.__proto__, customer.toString, items.length]',
      scope,
    );
    expect(compiled.evaluate({ customer: { name: 'Ann' }, items: [1, 2] }).value).toEqual([
      null,
      null,
      null,
      [null, null],
    ]);
  });

  it('functions in record values never reach FEEL', () => {
    const compiled = compileFeel('x', scope);
    expect(compiled.evaluate({ x: () => 'ran' }).value).toBeNull();
    expect(compiled.evaluate({ x: { run: () => 'ran' } }).value).toEqual({ run: null });
    expect(
      compileFeel('x.run', scope).evaluate({ x: { run: () => (globals.pwned = true) } }).value,
    ).toBeNull();
    expect(globals.pwned).toBeUndefined();
  });

  it('reads only own properties of the values record', () => {
    const fields: FeelScope = {
      variables: Object.fromEntries([['constructor', 'any']]) as FeelScope['variables'],
    };
    const compiled = compileFeel('constructor', fields);
    expect(compiled.references).toEqual(['constructor']);
    expect(compiled.evaluate({}).value).toBeNull(); // not Object
    expect(compiled.evaluate({ constructor: 'plain' }).value).toBe('plain');
  });

  it('a field named __proto__ does not touch prototypes', () => {
    const fields = JSON.parse('{"variables": {"__proto__": "number"}}') as FeelScope;
    const compiled = compileFeel('__proto__ + 1', fields);
    expect(compiled.references).toEqual(['__proto__']);
    expect(compiled.evaluate(JSON.parse('{"__proto__": 41}')).value).toBe(42);
    expect(compiled.evaluate({}).value).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hostile __proto__ keys inside values are dropped', () => {
    const compiled = compileFeel('x', scope);
    const result = compiled.evaluate({ x: JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') });
    expect(result.value).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strings that look like code stay strings', () => {
    const compiled = compileFeel('"a" + x', scope);
    expect(compiled.evaluate({ x: '"); globalThis.pwned = true; ("' }).value).toBe(
      'a"); globalThis.pwned = true; ("',
    );
    expect(globals.pwned).toBeUndefined();
  });
});
