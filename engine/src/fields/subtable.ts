import { RULE_SCHEMA } from '../definitions/rule-schema.ts';
import type { FieldDefinition, RuleDefinition } from '../definitions/types.ts';
import type { FieldType, FieldTypeRegistry, JsonSchema } from './registry.ts';

/** Types a sub-table row may not hold: rows do not nest; rollups, autonumbers and files belong to records. */
export const NOT_IN_ROWS = new Set(['subtable', 'rollup', 'autonumber', 'changedAt', 'file', 'relations']);

/** Column names every child table has; child fields may not take them. */
export const ROW_SYSTEM_COLUMNS = ['id', 'parent_id', 'position'] as const;

export interface SubtableSettings {
  /** The fields of a row, in the shape of module fields, with stable ids. */
  fields: FieldDefinition[];
  /** FEEL rules over one row's fields. */
  rules?: RuleDefinition[];
  minRows?: number;
  maxRows?: number;
}

export function subtableSettings(field: FieldDefinition): SubtableSettings {
  return field as unknown as SubtableSettings;
}

export const MAX_ROWS = 1000;

/** JSON Schema of one row as the API takes it: the row's id (absent for a new row) and its fields. */
export function rowSchema(
  field: FieldDefinition,
  registry: FieldTypeRegistry,
  readOnlyId = false,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    id: { type: 'string', format: 'uuid', ...(readOnlyId ? { readOnly: true } : {}) },
  };
  const required: string[] = [];
  for (const child of subtableSettings(field).fields) {
    const type = registry.get(child.type);
    if (!type) continue;
    properties[child.name] = { ...type.valueSchema(child), title: child.label.en ?? child.name };
    if (child.required && !type.computed) required.push(child.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * Child rows owned by the record (quote lines, stock movement lines), kept in a child table of
 * their own and saved with the record in one transaction. The API value is the array of rows.
 */
export function subtableField(registry: FieldTypeRegistry): FieldType {
  return {
    type: 'subtable',
    label: { en: 'Sub-table', 'zh-CN': '子表' },
    settings: {
      properties: {
        fields: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: {
            type: 'object',
            properties: { type: { type: 'string' } },
            required: ['id', 'name', 'type', 'label'],
          },
        },
        rules: {
          type: 'array',
          maxItems: 100,
          items: RULE_SCHEMA,
        },
        minRows: { type: 'integer', minimum: 0, maximum: MAX_ROWS },
        maxRows: { type: 'integer', minimum: 1, maximum: MAX_ROWS },
      },
      required: ['fields'],
    },
    widget: 'subtable',
    feelType: () => 'list',
    // the rows live in their own table (see storage/plan.ts), none in the record's
    columns: () => [],
    valueSchema: (field) => {
      const { minRows, maxRows } = subtableSettings(field);
      return {
        type: 'array',
        items: rowSchema(field, registry),
        maxItems: maxRows ?? MAX_ROWS,
        ...(minRows ? { minItems: minRows } : {}),
      };
    },
  };
}
