import { parsePattern } from '../autonumber/pattern.ts';
import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldType } from './registry.ts';
import { textSearch } from './searchable.ts';
import { mainColumn } from './shared.ts';

export const DEFAULT_AUTONUMBER_PATTERN = '{000000}';

export function autonumberPattern(field: FieldDefinition): string {
  return typeof field.pattern === 'string' ? field.pattern : DEFAULT_AUTONUMBER_PATTERN;
}

export function autonumberStart(field: FieldDefinition): number {
  return typeof field.start === 'number' ? field.start : 1;
}

/**
 * A number the engine gives each record when it is created (`QT-{YYYY}{MM}-{0000}`), unique and
 * without gaps (see autonumber/counters.ts). Never written by users: a value sent for it is
 * ignored, as for formulas.
 */
export const autonumberField: FieldType = {
  type: 'autonumber',
  label: { en: 'Autonumber', 'zh-CN': '自动编号' },
  settings: {
    properties: {
      pattern: { type: 'string', minLength: 1, maxLength: 100 },
      start: { type: 'integer', minimum: 0, maximum: 1_000_000_000_000 },
    },
  },
  widget: 'readonly',
  computed: true,
  feelType: () => 'string',
  columns: mainColumn('text'),
  valueSchema: () => ({ type: 'string', readOnly: true }),
  filter: 'text',
  sortable: true,
  search: textSearch,
  check: (field) => {
    const parsed = parsePattern(autonumberPattern(field));
    return 'error' in parsed ? [{ pointer: '/pattern', message: parsed.error }] : [];
  },
};
