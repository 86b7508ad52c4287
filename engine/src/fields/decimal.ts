import type { FieldType } from './registry.ts';
import { decimalSchema, decimalSettings, numericSqlType, roundToScale, toNumber } from './shared.ts';

export const decimalField: FieldType = {
  type: 'decimal',
  label: { en: 'Decimal', 'zh-CN': '小数' },
  settings: { properties: { ...decimalSettings } },
  widget: 'number',
  feelType: () => 'number',
  columns: (field) => [{ suffix: '', sqlType: numericSqlType(field) }],
  valueSchema: (field) => decimalSchema(field),
  normalize: (field, value) => roundToScale(field, value),
  fromColumns: (_field, [raw]) => toNumber(raw),
  filter: 'number',
  sortable: true,
};
