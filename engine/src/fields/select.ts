import { optionsOf, optionsSetting } from './options.ts';
import type { FieldType } from './registry.ts';
import { selectSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

export const selectField: FieldType = {
  type: 'select',
  label: { en: 'Single select', 'zh-CN': '单选' },
  settings: { properties: { options: optionsSetting }, required: ['options'] },
  widget: 'select',
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: (field) => ({ type: 'string', enum: optionsOf(field).map((o) => o.value) }),
  check: (field) => duplicateOptions(field),
  filter: 'choice',
  sortable: true,
  search: selectSearch,
};

export function duplicateOptions(field: Parameters<NonNullable<FieldType['check']>>[0]) {
  const seen = new Set<string>();
  return optionsOf(field).flatMap((option, i) => {
    if (seen.has(option.value))
      return [{ pointer: `/options/${i}/value`, message: `duplicate option '${option.value}'` }];
    seen.add(option.value);
    return [];
  });
}
