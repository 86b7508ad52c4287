import type { FieldType } from './registry.ts';
import { mainColumn } from './shared.ts';

export const dateField: FieldType = {
  type: 'date',
  label: { en: 'Date', 'zh-CN': '日期' },
  settings: { properties: {} },
  widget: 'date',
  feelType: () => 'date',
  columns: mainColumn('date'),
  valueSchema: () => ({ type: 'string', format: 'date' }),
  filter: 'date',
  sortable: true,
};
