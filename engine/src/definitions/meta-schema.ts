import type { FieldType, JsonSchema } from '../fields/registry.ts';
import { API_NAME_MAX, API_NAME_PATTERN, ID_PATTERN } from './names.ts';
import { RULE_SCHEMA } from './rule-schema.ts';

const localeText: JsonSchema = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: '^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$' },
  additionalProperties: { type: 'string', minLength: 1, maxLength: 500 },
};

const apiName: JsonSchema = { type: 'string', pattern: API_NAME_PATTERN, maxLength: API_NAME_MAX };
const id: JsonSchema = { type: 'string', pattern: ID_PATTERN };
const feelExpression: JsonSchema = { type: 'string', minLength: 1, maxLength: 4000 };

export const definitionDefs: Record<string, JsonSchema> = { localeText, apiName, id, feelExpression };

/** Settings every field has, whatever its type. */
export const commonFieldProperties: Record<string, JsonSchema> = {
  id: { $ref: '#/$defs/id' },
  name: { $ref: '#/$defs/apiName' },
  type: { type: 'string' },
  label: { $ref: '#/$defs/localeText' },
  help: { $ref: '#/$defs/localeText' },
  placeholder: { $ref: '#/$defs/localeText' },
  required: { type: 'boolean' },
  unique: { type: 'boolean' },
  indexed: { type: 'boolean' },
  /** In keyword search: text-like types are unless set to false. */
  searchable: { type: 'boolean' },
  /** FEEL expression giving the value of a new record's empty field. */
  defaultValue: { $ref: '#/$defs/feelExpression' },
  /** FEEL conditions decided live in the form and again on save (compile/conditions.ts). */
  visibleWhen: { $ref: '#/$defs/feelExpression' },
  requiredWhen: { $ref: '#/$defs/feelExpression' },
  readOnlyWhen: { $ref: '#/$defs/feelExpression' },
  /** `relation.field`: the related record's value, copied when the relation changes (fetch-from.ts). */
  fetchFrom: { type: 'string', minLength: 3, maxLength: 200 },
};

/** The shape of a module definition; each field is then checked against its type's schema. */
export function moduleMetaSchema(fieldTypes: string[]): JsonSchema {
  return {
    $id: 'crm:module',
    $defs: definitionDefs,
    type: 'object',
    properties: {
      id: { $ref: '#/$defs/id' },
      name: { $ref: '#/$defs/apiName' },
      label: { $ref: '#/$defs/localeText' },
      pluralLabel: { $ref: '#/$defs/localeText' },
      description: { $ref: '#/$defs/localeText' },
      icon: { type: 'string', maxLength: 64 },
      titleField: { $ref: '#/$defs/apiName' },
      fields: {
        type: 'array',
        maxItems: 500,
        items: {
          type: 'object',
          properties: { type: { enum: fieldTypes } },
          required: ['id', 'name', 'type', 'label'],
        },
      },
      rules: {
        type: 'array',
        maxItems: 200,
        items: RULE_SCHEMA,
      },
      layout: {
        type: 'object',
        properties: {
          sections: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { $ref: '#/$defs/id' },
                label: { $ref: '#/$defs/localeText' },
                columns: { enum: [1, 2, 3, 4] },
                collapsed: { type: 'boolean' },
                fields: { type: 'array', items: { $ref: '#/$defs/apiName' } },
              },
              required: ['id', 'fields'],
              additionalProperties: false,
            },
          },
        },
        required: ['sections'],
        additionalProperties: false,
      },
      listView: {
        type: 'object',
        properties: {
          columns: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/apiName' } },
          sort: { type: 'string', minLength: 1, maxLength: 300 },
          kanbanField: { $ref: '#/$defs/apiName' },
        },
        additionalProperties: false,
      },
      pool: {
        type: 'object',
        properties: {
          claimLimit: { type: 'integer', minimum: 1, maximum: 100000 },
          claimedAtField: { $ref: '#/$defs/apiName' },
          returnedAtField: { $ref: '#/$defs/apiName' },
          reasonField: { $ref: '#/$defs/apiName' },
          releaseReason: { type: 'string', minLength: 1, maxLength: 100 },
        },
        additionalProperties: false,
      },
    },
    required: ['id', 'name', 'label', 'fields'],
    additionalProperties: false,
  };
}

/** The schema one field of the given type must satisfy: common settings plus the type's own. */
export function fieldMetaSchema(type: FieldType): JsonSchema {
  return {
    $id: `crm:field:${type.type}`,
    $defs: definitionDefs,
    type: 'object',
    properties: { ...commonFieldProperties, type: { const: type.type }, ...type.settings.properties },
    required: ['id', 'name', 'type', 'label', ...(type.settings.required ?? [])],
    additionalProperties: false,
  };
}
