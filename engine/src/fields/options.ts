import type { FieldDefinition } from '../definitions/types.ts';
import type { JsonSchema } from './registry.ts';

export interface SelectOption {
  value: string;
  label: Record<string, string>;
  color?: string;
}

export const optionsSetting: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    properties: {
      value: { type: 'string', minLength: 1, maxLength: 100 },
      label: { $ref: '#/$defs/localeText' },
      color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
    },
    required: ['value', 'label'],
    additionalProperties: false,
  },
};

export function optionsOf(field: FieldDefinition): SelectOption[] {
  return Array.isArray(field.options) ? (field.options as SelectOption[]) : [];
}
