import { describe, expect, it } from 'vitest';
import { formatPlain } from './format.ts';

const words = { yes: 'Yes', no: 'No' };

describe('formatPlain', () => {
  it('formats money, numbers and percent for the locale', () => {
    expect(formatPlain({ amount: 1234.5, currency: 'CNY' }, undefined, undefined, 'zh-CN', words)).toBe(
      '¥1,234.50',
    );
    expect(formatPlain({ amount: 1234.5, currency: 'USD' }, undefined, undefined, 'en', words)).toBe(
      '$1,234.50',
    );
    expect(formatPlain(15, { type: 'number' }, { 'ui:widget': 'percent' }, 'en', words)).toBe('15 %');
  });

  it('shows option labels, yes/no, and dates by day without shifting time zones', () => {
    const schema = { type: 'string', enum: ['won', 'lost'] };
    const ui = { 'ui:enumNames': ['赢单', '输单'] };
    expect(formatPlain('lost', schema, ui, 'zh-CN', words)).toBe('输单');
    expect(formatPlain(['won', 'lost'], { type: 'array', items: schema }, ui, 'zh-CN', words)).toBe(
      '赢单, 输单',
    );
    expect(formatPlain(false, { type: 'boolean' }, undefined, 'en', words)).toBe('No');
    expect(formatPlain('2026-01-31', { type: 'string', format: 'date' }, undefined, 'en', words)).toBe(
      'Jan 31, 2026',
    );
    expect(formatPlain(null, undefined, undefined, 'en', words)).toBe('');
  });
});
