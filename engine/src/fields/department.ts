import type { FieldType } from './registry.ts';
import { mainColumn } from './shared.ts';

/** A department of the organisation tree, by department id. */
export const departmentField: FieldType = {
  type: 'department',
  label: { en: 'Department', 'zh-CN': '部门' },
  settings: { properties: {} },
  widget: 'department',
  feelType: () => 'string',
  columns: mainColumn('uuid'),
  valueSchema: () => ({ type: 'string', format: 'uuid' }),
  filter: 'reference',
  sortable: true,
};
