import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import {
  FEEL_BUILTIN_FUNCTIONS,
  FEEL_RESERVED_NAMES,
  FEEL_UNSUPPORTED_FUNCTIONS,
  isFeelBuiltin,
  isReservedFeelName,
} from './names.ts';

describe('FEEL names', () => {
  it('lists only functions feelin really has', () => {
    // calling with no arguments: a builtin complains about its arguments, an unknown name about itself
    const unknown = (name: string) =>
      evaluate(`${name}()`).warnings.some(
        (w) => w.type === 'NO_VARIABLE_FOUND' || w.type === 'NO_FUNCTION_FOUND',
      );
    expect(unknown('nosuchfunction')).toBe(true);
    for (const name of FEEL_BUILTIN_FUNCTIONS) {
      expect(unknown(name), name).toBe(false);
    }
    expect(FEEL_BUILTIN_FUNCTIONS.size).toBe(77);
  });

  it('keeps the functions feelin only stubs out of the builtins', () => {
    for (const name of FEEL_UNSUPPORTED_FUNCTIONS) {
      expect(isFeelBuiltin(name), name).toBe(false);
      expect(() => evaluate(`${name}()`), name).toThrow(/not implemented/);
    }
  });

  it('knows builtins by their spaced names', () => {
    expect(isFeelBuiltin('string length')).toBe(true);
    expect(isFeelBuiltin('round half up')).toBe(true);
    expect(isFeelBuiltin('sum')).toBe(true);
    expect(isFeelBuiltin('amount')).toBe(false);
    expect(isFeelBuiltin('constructor')).toBe(false);
  });

  it('reserves the keywords a variable name can never be', () => {
    expect(FEEL_RESERVED_NAMES.has('for')).toBe(true);
    expect(isReservedFeelName('in')).toBe(true);
    expect(isReservedFeelName('null')).toBe(true);
    expect(isReservedFeelName('amount')).toBe(false);
    expect(isReservedFeelName('date')).toBe(false); // usable as a plain value
  });
});
