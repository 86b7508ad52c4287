import type { FieldType } from './registry.ts';
import { mainColumn, numberSettings, toNumber } from './shared.ts';

export const integerField: FieldType = {
  type: 'integer',
  label: { en: 'Integer', 'zh-CN': '整数' },
  settings: { properties: { ...numberSettings } },
  widget: 'number',
  feelType: () => 'number',
  columns: mainColumn('bigint'),
  valueSchema: (field) => ({
    type: 'integer',
    minimum: typeof field.min === 'number' ? field.min : Number.MIN_SAFE_INTEGER,
    maximum: typeof field.max === 'number' ? field.max : Number.MAX_SAFE_INTEGER,
  }),
  fromColumns: (_field, [raw]) => toNumber(raw),
  filter: 'number',
  sortable: true,
};
