import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('puts leading keys first, the rest alphabetically, keeps arrays in order, ends with a newline', () => {
    const text = canonicalJson({
      fields: [{ type: 'text', b: 1, id: 'f', a: 2 }],
      label: { 'zh-CN': '客户', en: 'Customer' },
      id: 'm',
      name: 'n',
      skip: undefined,
    });
    expect(text).toBe(
      [
        '{',
        '  "id": "m",',
        '  "name": "n",',
        '  "label": {',
        '    "en": "Customer",',
        '    "zh-CN": "客户"',
        '  },',
        '  "fields": [',
        '    {',
        '      "id": "f",',
        '      "type": "text",',
        '      "a": 2,',
        '      "b": 1',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('compares values whatever their key order, but not their array order', () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: [1, 2] }, { a: 1, b: [2, 1] })).toBe(false);
  });
});
