import type { FieldType } from './registry.ts';
import { textSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

export const DEFAULT_TEXT_LENGTH = 255;

export const textField: FieldType = {
  type: 'text',
  label: { en: 'Text', 'zh-CN': '单行文本' },
  settings: {
    properties: {
      maxLength: { type: 'integer', minimum: 1, maximum: 10000 },
      minLength: { type: 'integer', minimum: 0, maximum: 10000 },
      pattern: { type: 'string', maxLength: 500 },
    },
  },
  widget: 'text',
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: (field) => ({
    type: 'string',
    maxLength: typeof field.maxLength === 'number' ? field.maxLength : DEFAULT_TEXT_LENGTH,
    ...(typeof field.minLength === 'number' ? { minLength: field.minLength } : {}),
    ...(typeof field.pattern === 'string' ? { pattern: field.pattern } : {}),
  }),
  filter: 'text',
  sortable: true,
  search: textSearch,
};
