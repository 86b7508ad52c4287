import type { FieldType } from './registry.ts';
import { mainColumn } from './shared.ts';

/** A person of the workspace, by user id. */
export const userField: FieldType = {
  type: 'user',
  label: { en: 'User', 'zh-CN': '人员' },
  settings: { properties: {} },
  widget: 'user',
  feelType: () => 'string',
  columns: mainColumn('uuid'),
  valueSchema: () => ({ type: 'string', format: 'uuid' }),
  filter: 'reference',
  sortable: true,
};
