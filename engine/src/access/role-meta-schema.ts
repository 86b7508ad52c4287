import { definitionDefs } from '../definitions/meta-schema.ts';
import type { JsonSchema } from '../fields/registry.ts';
import { FIELD_RIGHTS, OPERATIONS, SCOPES } from './rights.ts';

const scopeOrNull: JsonSchema = { enum: [...SCOPES, null] };

/** The shape of a role definition (see role-definition.ts). */
export const roleMetaSchema: JsonSchema = {
  $id: 'crm:role',
  $defs: definitionDefs,
  type: 'object',
  properties: {
    id: { $ref: '#/$defs/id' },
    label: { $ref: '#/$defs/localeText' },
    description: { $ref: '#/$defs/localeText' },
    modules: {
      type: 'object',
      maxProperties: 1000,
      propertyNames: { $ref: '#/$defs/id' },
      additionalProperties: {
        type: 'object',
        properties: {
          ...Object.fromEntries(OPERATIONS.map((op) => [op, scopeOrNull])),
          export: { type: 'boolean' },
          claim: { type: 'boolean' },
          fields: {
            type: 'object',
            maxProperties: 500,
            propertyNames: { $ref: '#/$defs/id' },
            additionalProperties: { enum: [...FIELD_RIGHTS] },
          },
        },
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'label', 'modules'],
  additionalProperties: false,
};
