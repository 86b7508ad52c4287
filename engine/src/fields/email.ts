import type { FieldType } from './registry.ts';
import { textSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

export const emailField: FieldType = {
  type: 'email',
  label: { en: 'Email', 'zh-CN': '邮箱' },
  settings: { properties: {} },
  widget: 'email',
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: () => ({ type: 'string', format: 'email', maxLength: 254 }),
  filter: 'text',
  sortable: true,
  search: textSearch,
};
