import type { FieldType } from './registry.ts';
import { mainColumn } from './shared.ts';

export const booleanField: FieldType = {
  type: 'boolean',
  label: { en: 'Yes/No', 'zh-CN': '是/否' },
  settings: { properties: {} },
  widget: 'checkbox',
  feelType: () => 'boolean',
  columns: mainColumn('boolean'),
  valueSchema: () => ({ type: 'boolean' }),
  filter: 'boolean',
  sortable: true,
};
