import type { FieldType } from './registry.ts';
import { decimalSchema, decimalSettings, numericSqlType, toNumber } from './shared.ts';

/** Stored as the number of percent: 15 means 15 %. */
export const percentField: FieldType = {
  type: 'percent',
  label: { en: 'Percent', 'zh-CN': '百分比' },
  settings: { properties: { ...decimalSettings } },
  widget: 'percent',
  feelType: () => 'number',
  columns: (field) => [{ suffix: '', sqlType: numericSqlType(field) }],
  valueSchema: (field) => decimalSchema(field),
  fromColumns: (_field, [raw]) => toNumber(raw),
  filter: 'number',
  sortable: true,
};
