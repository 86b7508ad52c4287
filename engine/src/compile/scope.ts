import type { ModuleDefinition } from '../definitions/types.ts';
import type { FeelScope } from '../expressions/index.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';

/** The variables an expression on this module may read: its fields and the system fields. */
export function feelScopeOf(module: ModuleDefinition, registry: FieldTypeRegistry): FeelScope {
  const variables: FeelScope['variables'] = {
    id: 'string',
    owner: 'string',
    created_at: 'date and time',
    updated_at: 'date and time',
  };
  for (const field of module.fields) {
    const type = registry.get(field.type);
    if (type) variables[field.name] = type.feelType(field);
  }
  return { variables };
}
