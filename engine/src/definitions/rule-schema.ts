/** JSON Schema of one validation rule, for module rules and sub-table row rules alike. */
export const RULE_SCHEMA = {
  type: 'object',
  properties: {
    id: { $ref: '#/$defs/id' },
    expression: { $ref: '#/$defs/feelExpression' },
    when: { $ref: '#/$defs/feelExpression' },
    message: { $ref: '#/$defs/localeText' },
    fields: { type: 'array', items: { $ref: '#/$defs/apiName' } },
  },
  required: ['id', 'expression', 'message'],
  additionalProperties: false,
} as const;
