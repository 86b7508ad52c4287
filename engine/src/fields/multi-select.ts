import { optionsOf, optionsSetting } from './options.ts';
import type { FieldType } from './registry.ts';
import { multiSelectSearch } from './searchable.ts';
import { duplicateOptions } from './select.ts';
import { mainColumn } from './shared.ts';

export const multiSelectField: FieldType = {
  type: 'multiSelect',
  label: { en: 'Multiple select', 'zh-CN': '多选' },
  settings: {
    properties: { options: optionsSetting, maxItems: { type: 'integer', minimum: 1 } },
    required: ['options'],
  },
  widget: 'tags',
  feelType: () => 'list',
  columns: mainColumn('text[]'),
  valueSchema: (field) => ({
    type: 'array',
    items: { type: 'string', enum: optionsOf(field).map((o) => o.value) },
    uniqueItems: true,
    ...(typeof field.maxItems === 'number' ? { maxItems: field.maxItems } : {}),
  }),
  check: (field) => duplicateOptions(field),
  fromColumns: (_field, [raw]) => (raw === null || raw === undefined ? null : (raw as string[])),
  filter: 'multi',
  sortable: false,
  search: multiSelectSearch,
};
