import { fetchFromOf } from '../definitions/fetch-from.ts';
import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import { optionsOf } from '../fields/options.ts';
import type { FieldTypeRegistry, JsonSchema } from '../fields/registry.ts';
import { subtableSettings } from '../fields/subtable.ts';
import { formConditionsOf } from './conditions.ts';
import { localize } from './json-schema.ts';
import { formFormulasOf } from './live-formulas.ts';
import { feelScopeOf } from './scope.ts';

/** Field order: layout sections first, then fields no section places. */
export function fieldOrder(module: ModuleDefinition): string[] {
  const placed = module.layout?.sections.flatMap((s) => s.fields) ?? [];
  const rest = module.fields.map((f) => f.name).filter((n) => !placed.includes(n));
  return [...placed, ...rest];
}

/** One field's uiSchema entry; a sub-table's row fields go under `items`, in their order. */
export function fieldUiSchema(
  field: FieldDefinition,
  registry: FieldTypeRegistry,
  locale: string,
): JsonSchema {
  const type = registry.require(field.type);
  const entry: JsonSchema = { 'ui:widget': type.widget };
  const placeholder = localize(field.placeholder, locale);
  if (placeholder) entry['ui:placeholder'] = placeholder;
  const help = localize(field.help, locale);
  if (help) entry['ui:help'] = help;
  if (type.computed) entry['ui:readonly'] = true;
  const options = optionsOf(field);
  if (options.length > 0) {
    entry['ui:enumNames'] = options.map((o) => localize(o.label, locale) ?? o.value);
    entry['ui:options'] = { colors: Object.fromEntries(options.map((o) => [o.value, o.color ?? null])) };
  }
  if (field.type === 'relation' || field.type === 'relations') entry['ui:options'] = { target: field.target };
  const fetch = fetchFromOf(field);
  if (fetch) entry['ui:fetchFrom'] = { relation: fetch.relation, field: fetch.source };
  if (field.type === 'subtable') {
    const rows = subtableSettings(field).fields;
    const items: JsonSchema = { 'ui:order': rows.map((row) => row.name) };
    for (const row of rows) items[row.name] = fieldUiSchema(row, registry, locale);
    entry.items = items;
  }
  return entry;
}

/**
 * rjsf uiSchema: widget, placeholder, help and read-only per field, the order, and the sections
 * under `ui:layout` for the app's object template to lay out in columns; the FEEL conditions of
 * fields under `ui:conditions` (see conditions.ts) for the form to decide live, and what the form
 * needs to compute formulas live under `ui:formulas` (see live-formulas.ts).
 */
export function recordUiSchema(
  module: ModuleDefinition,
  registry: FieldTypeRegistry,
  locale: string,
): JsonSchema {
  const ui: JsonSchema = { 'ui:order': fieldOrder(module) };
  for (const field of module.fields) ui[field.name] = fieldUiSchema(field, registry, locale);
  const sections = module.layout?.sections ?? [];
  const placed = new Set(sections.flatMap((s) => s.fields));
  const unplaced = module.fields.map((f) => f.name).filter((n) => !placed.has(n));
  ui['ui:layout'] = {
    sections: [
      ...sections.map((s) => ({
        id: s.id,
        title: localize(s.label, locale) ?? null,
        columns: s.columns ?? 2,
        collapsed: s.collapsed ?? false,
        fields: s.fields,
      })),
      ...(unplaced.length > 0
        ? [{ id: '_other', title: null, columns: 2, collapsed: false, fields: unplaced }]
        : []),
    ],
  };
  const conditions = formConditionsOf(
    module,
    feelScopeOf(module, registry),
    (field) => registry.require(field.type).computed === true,
  );
  if (conditions) ui['ui:conditions'] = conditions;
  const formulas = formFormulasOf(module, registry);
  if (formulas) ui['ui:formulas'] = formulas;
  return ui;
}
