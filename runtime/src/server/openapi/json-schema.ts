import type { JsonSchema } from '@crm/engine';

/** Keywords whose value is a schema, a list of schemas or a map of schemas (not data such as `enum`). */
const ONE_SCHEMA = [
  'additionalProperties',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Draft-07 spellings as JSON Schema 2020-12 (the dialect of OpenAPI 3.1). */
function modernize(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, definitions, dependencies, items, additionalItems, ...rest } = schema;
  const result: JsonSchema = { ...rest };
  if (isSchema(definitions))
    result.$defs = { ...(isSchema(result.$defs) ? result.$defs : {}), ...definitions };
  if (Array.isArray(items)) {
    result.prefixItems = items;
    if (additionalItems !== undefined) result.items = additionalItems;
  } else if (items !== undefined) {
    result.items = items;
  }
  if (isSchema(dependencies)) {
    for (const [property, dependency] of Object.entries(dependencies)) {
      const key = Array.isArray(dependency) ? 'dependentRequired' : 'dependentSchemas';
      result[key] = { ...(isSchema(result[key]) ? result[key] : {}), [property]: dependency };
    }
  }
  return result;
}

/**
 * A schema placed at `components.schemas.<name>` of the document: converted to 2020-12, with
 * local references (`#/definitions/x`, `#/$defs/x`) made to point into the component, since
 * `#` now means the OpenAPI document.
 */
export function toOpenApiSchema(schema: JsonSchema, componentName: string): JsonSchema {
  const base = `#/components/schemas/${componentName}`;
  const visit = (node: JsonSchema): JsonSchema => {
    const result = modernize(node);
    if (typeof result.$ref === 'string' && result.$ref.startsWith('#')) {
      result.$ref = base + result.$ref.slice(1).replace(/^\/definitions\//, '/$defs/');
    }
    for (const key of ONE_SCHEMA) if (isSchema(result[key])) result[key] = visit(result[key]);
    for (const key of SCHEMA_LISTS) {
      const list = result[key];
      if (Array.isArray(list)) result[key] = list.map((s) => (isSchema(s) ? visit(s) : s));
    }
    for (const key of SCHEMA_MAPS) {
      const map = result[key];
      if (isSchema(map)) {
        result[key] = Object.fromEntries(
          Object.entries(map).map(([k, s]) => [k, isSchema(s) ? visit(s) : s]),
        );
      }
    }
    return result;
  };
  return visit(schema);
}

/** The schema that also admits null: `type: [..., 'null']`, with null added to an `enum`. */
export function nullable(schema: JsonSchema): JsonSchema {
  if (schema.type === undefined) return { anyOf: [schema, { type: 'null' }] };
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const result: JsonSchema = { ...schema, type: types.includes('null') ? types : [...types, 'null'] };
  if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
  if ('const' in result) {
    result.enum = [result.const, null];
    delete result.const;
  }
  return result;
}
