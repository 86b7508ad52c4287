import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldType } from './registry.ts';
import { decimalSchema, decimalSettings, numericSqlType, roundToScale, toNumber } from './shared.ts';

export const CURRENCY_SUFFIX = '__currency';

function currencies(field: FieldDefinition): string[] {
  if (Array.isArray(field.currencies) && field.currencies.length > 0) return field.currencies as string[];
  return [defaultCurrency(field)];
}

export function defaultCurrency(field: FieldDefinition): string {
  return typeof field.currency === 'string' ? field.currency : 'CNY';
}

/** An amount and its currency: `{ "amount": 1200.5, "currency": "CNY" }`; FEEL sees the amount. */
export const moneyField: FieldType = {
  type: 'money',
  label: { en: 'Money', 'zh-CN': '金额' },
  settings: {
    properties: {
      ...decimalSettings,
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      currencies: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{3}$' }, uniqueItems: true },
    },
  },
  widget: 'money',
  feelType: () => 'number',
  columns: (field) => [
    { suffix: '', sqlType: numericSqlType(field) },
    { suffix: CURRENCY_SUFFIX, sqlType: 'text' },
  ],
  valueSchema: (field) => ({
    type: 'object',
    properties: {
      amount: decimalSchema(field),
      currency: { type: 'string', enum: currencies(field), default: defaultCurrency(field) },
    },
    required: ['amount'],
    additionalProperties: false,
  }),
  normalize: (field, value) => {
    const money = value as { amount: number; currency?: string };
    return { amount: roundToScale(field, money.amount), currency: money.currency ?? defaultCurrency(field) };
  },
  toColumns: (field, value) => {
    const money = value as { amount: number; currency?: string };
    return [money.amount, money.currency ?? defaultCurrency(field)];
  },
  fromColumns: (field, [amount, currency]) =>
    amount === null || amount === undefined
      ? null
      : { amount: toNumber(amount), currency: (currency as string | null) ?? defaultCurrency(field) },
  filter: 'number',
  sortable: true,
};
