import type { FieldType } from './registry.ts';
import { isoInstant, mainColumn, timestampToIso } from './shared.ts';

export const datetimeField: FieldType = {
  type: 'datetime',
  label: { en: 'Date and time', 'zh-CN': '日期时间' },
  settings: { properties: {} },
  widget: 'datetime',
  feelType: () => 'date and time',
  columns: mainColumn('timestamptz'),
  valueSchema: () => ({ type: 'string', format: 'date-time' }),
  normalize: (_field, value) => isoInstant(value),
  fromColumns: (_field, [raw]) => timestampToIso(raw),
  filter: 'date',
  sortable: true,
};
