import type { FieldType } from './registry.ts';
import { decimalSchema, decimalSettings, numericSqlType, roundToScale, toNumber } from './shared.ts';

/** Stored as the number of percent: 15 means 15 %. */
export const percentField: FieldType = {
  type: 'percent',
  label: { en: 'Percent', 'zh-CN': '百分比' },
  settings: { properties: { ...decimalSettings } },
  widget: 'percent',
  feelType: () => 'number',
  columns: (field) => [{ suffix: '', sqlType: numericSqlType(field) }],
  valueSchema: (field) => decimalSchema(field),
  normalize: (field, value) => roundToScale(field, value),
  fromColumns: (_field, [raw]) => toNumber(raw),
  filter: 'number',
  sortable: true,
};
