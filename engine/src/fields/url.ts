import type { FieldType } from './registry.ts';
import { textSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

export const urlField: FieldType = {
  type: 'url',
  label: { en: 'URL', 'zh-CN': '网址' },
  settings: { properties: {} },
  widget: 'url',
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: () => ({ type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 }),
  filter: 'text',
  sortable: true,
  search: textSearch,
};
