import { describe, expect, it } from 'vitest';
import { errorsAt, errorTreeOf } from './problems.ts';

describe('errorTreeOf', () => {
  const fields = new Set(['title', 'lines', 'budget']);

  it('puts each problem at its pointer, rows and cells included, in the locale asked', () => {
    const { tree, general } = errorTreeOf(
      [
        { pointer: '/title', detail: 'is required', messages: { en: 'is required', 'zh-CN': '必填' } },
        { pointer: '/lines/2/quantity', detail: 'must be at least 1' },
        { pointer: '/lines/2/quantity', detail: 'must be an integer' },
        { pointer: '/budget/amount', detail: 'is required' },
        { pointer: '/lines/0/price/amount', detail: 'must be at least 0' },
      ],
      fields,
      'zh-CN',
    );
    expect(errorsAt(tree, ['title'])).toEqual(['必填']);
    expect(errorsAt(tree, ['lines', 2, 'quantity'])).toEqual(['must be at least 1', 'must be an integer']);
    expect(errorsAt(tree, ['lines', 1, 'quantity'])).toEqual([]);
    expect(errorsAt(tree, ['budget'])).toEqual(['is required']);
    expect(errorsAt(tree, ['lines', 0, 'price'])).toEqual(['must be at least 0']);
    expect(general).toEqual([]);
  });

  it('keeps problems of the whole record and of fields the form does not show apart', () => {
    const { tree, general } = errorTreeOf(
      [
        { pointer: '', detail: 'Budget under 1000 is not a lead' },
        { pointer: '/secret', detail: 'is not a known field' },
        { pointer: '/a~1b', detail: 'odd' },
      ],
      fields,
      'en',
    );
    expect(tree).toEqual({});
    expect(general).toEqual(['Budget under 1000 is not a lead', 'secret: is not a known field', 'a/b: odd']);
  });
});
