import type { FieldDefinition, LocaleText, ModuleDefinition } from '../definitions/types.ts';
import type { FieldTypeRegistry, JsonSchema } from '../fields/registry.ts';
import { hasConditions } from './conditions.ts';

export function localize(text: LocaleText | undefined, locale: string): string | undefined {
  if (!text) return undefined;
  return text[locale] ?? text[locale.split('-')[0]] ?? text.en ?? Object.values(text)[0];
}

/** JSON Schema of one field's value, titled for the locale. */
export function fieldJsonSchema(
  field: FieldDefinition,
  registry: FieldTypeRegistry,
  locale: string,
): JsonSchema {
  const type = registry.require(field.type);
  const schema: JsonSchema = { ...type.valueSchema(field), title: localize(field.label, locale) };
  const help = localize(field.help, locale);
  if (help) schema.description = help;
  return schema;
}

/**
 * The record schema forms and the API validate against (draft-07 keywords only, as rjsf expects).
 * Computed fields are present but read-only; empty values are absent, never null.
 */
export function recordJsonSchema(
  module: ModuleDefinition,
  registry: FieldTypeRegistry,
  locale: string,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of module.fields) {
    properties[field.name] = fieldJsonSchema(field, registry, locale);
    // a field with conditions is required as they decide (compile/conditions.ts), not always
    if (field.required && !registry.require(field.type).computed && !hasConditions(field))
      required.push(field.name);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: localize(module.label, locale),
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
}
