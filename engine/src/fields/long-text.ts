import type { FieldType } from './registry.ts';
import { textSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

export const longTextField: FieldType = {
  type: 'longText',
  label: { en: 'Long text', 'zh-CN': '多行文本' },
  settings: {
    properties: {
      maxLength: { type: 'integer', minimum: 1, maximum: 1000000 },
      rows: { type: 'integer', minimum: 2, maximum: 40 },
    },
  },
  widget: 'textarea',
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: (field) => ({
    type: 'string',
    maxLength: typeof field.maxLength === 'number' ? field.maxLength : 65535,
  }),
  filter: 'text',
  sortable: false,
  search: textSearch,
};
