import type { FieldType } from './registry.ts';
import { phoneSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

/** Mobile (13812345678, +86 138 1234 5678), landline with area code and extension (010-12345678-123). */
export const PHONE_PATTERN = '^\\+?[0-9][0-9 ()\\-]{2,30}[0-9]$';

export const phoneField: FieldType = {
  type: 'phone',
  label: { en: 'Phone', 'zh-CN': '电话' },
  settings: { properties: {} },
  widget: 'phone',
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: () => ({ type: 'string', pattern: PHONE_PATTERN, maxLength: 32 }),
  filter: 'text',
  sortable: true,
  search: phoneSearch,
};
