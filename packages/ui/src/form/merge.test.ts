import { describe, expect, it } from 'vitest';
import { mergeValues, sameValue, serverChanges } from './merge.ts';

describe('merging after a conflict', () => {
  const fields = ['name', 'phone', 'amount', 'tags', 'note'];
  const base = { name: 'Acme', phone: '1', amount: { amount: 10, currency: 'CNY' }, tags: ['a'], note: 'x' };
  const mine = { ...base, name: 'Acme Ltd', amount: { currency: 'CNY', amount: 10 }, note: 'mine' };
  const theirs = { ...base, phone: '2', tags: ['a', 'b'], note: 'theirs' };

  it('lists what the server changed and marks the fields both sides changed differently', () => {
    expect(serverChanges(fields, base, mine, theirs)).toEqual([
      { field: 'phone', base: '1', mine: '1', theirs: '2', conflict: false },
      { field: 'tags', base: ['a'], mine: ['a'], theirs: ['a', 'b'], conflict: false },
      { field: 'note', base: 'x', mine: 'mine', theirs: 'theirs', conflict: true },
    ]);
  });

  it("takes the server's changes, keeps the user's, and settles conflicts as chosen", () => {
    expect(mergeValues(fields, base, mine, theirs, {})).toEqual({
      ...theirs,
      name: 'Acme Ltd',
      note: 'mine',
    });
    expect(mergeValues(fields, base, mine, theirs, { note: 'theirs' })).toEqual({
      ...theirs,
      name: 'Acme Ltd',
      note: 'theirs',
    });
  });

  it('counts empty values as the same and compares objects by content', () => {
    expect(sameValue(null, '')).toBe(true);
    expect(sameValue(undefined, [])).toBe(true);
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
  });
});
