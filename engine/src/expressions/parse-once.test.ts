import * as feelin from 'feelin';
import { describe, expect, it, vi } from 'vitest';
import { checkFeel, compileFeel } from './compile.ts';

vi.mock('feelin', async (importOriginal) => {
  const actual = await importOriginal<typeof import('feelin')>();
  return {
    ...actual,
    compileExpression: vi.fn(actual.compileExpression),
    parseExpression: vi.fn(actual.parseExpression),
    evaluate: vi.fn(actual.evaluate),
  };
});

describe('parse once', () => {
  it('parses a valid expression once and evaluates from the cached tree', () => {
    vi.clearAllMocks();
    const compiled = compileFeel('amount * 2 > limit', { variables: { amount: 'number', limit: 'number' } });
    for (let i = 0; i < 50; i++) compiled.evaluate({ amount: i, limit: 10 });
    expect(feelin.compileExpression).toHaveBeenCalledTimes(1);
    expect(feelin.compileExpression).toHaveBeenCalledWith('amount * 2 > limit', {
      amount: null,
      limit: null,
    });
    expect(feelin.parseExpression).not.toHaveBeenCalled();
    expect(feelin.evaluate).not.toHaveBeenCalled();
  });

  it('parses an invalid expression a second time only to list all its errors', () => {
    vi.clearAllMocks();
    expect(checkFeel('amount + * 2 +', { variables: { amount: 'number' } })).toHaveLength(2);
    expect(feelin.compileExpression).toHaveBeenCalledTimes(1);
    expect(feelin.parseExpression).toHaveBeenCalledTimes(1);
  });
});
