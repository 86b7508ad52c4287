import type { FieldType } from './registry.ts';
import { type RelationSettings, relationSettingsSchema, targetAndInverseProblems } from './relation.ts';

export interface RelationsSettings {
  /** Id of the module the field links to. */
  target: string;
  /** The list of records linking here, shown on the target. */
  inverse?: RelationSettings['inverse'];
  maxItems?: number;
}

export function relationsSettings(field: { [k: string]: unknown }): RelationsSettings {
  return field as unknown as RelationsSettings;
}

/**
 * Many-to-many links to another module's records (or the module's own), kept in a join table of
 * the field's own (see storage/link-plan.ts) in the order the user gave. The value is the list of
 * linked ids; a list naming an id twice is refused rather than collapsed, so what is stored is what
 * was sent.
 */
export const relationsField: FieldType = {
  type: 'relations',
  label: { en: 'Relations (many)', 'zh-CN': '多项关联' },
  settings: {
    properties: {
      target: relationSettingsSchema.target,
      inverse: relationSettingsSchema.inverse,
      maxItems: { type: 'integer', minimum: 1, maximum: 1000 },
    },
    required: ['target'],
  },
  widget: 'multiLookup',
  feelType: () => 'list',
  columns: () => [],
  linkTable: true,
  valueSchema: (field) => ({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    uniqueItems: true,
    maxItems: relationsSettings(field).maxItems ?? 1000,
  }),
  // Postgres reads uuids back in lower case
  normalize: (_field, value) =>
    Array.isArray(value) ? value.map((id) => (typeof id === 'string' ? id.toLowerCase() : id)) : value,
  fromColumns: (_field, [raw]) => (Array.isArray(raw) && raw.length > 0 ? raw.map(String) : null),
  check: targetAndInverseProblems,
  filter: 'links',
  sortable: false,
};
