/**
 * The server's form schemas as rjsf renders them for the current values: conditions applied
 * (required now, read-only now), widget names mapped to this package's widgets and fields.
 */
import type { ConditionState, JsonSchema } from '@crm/engine/browser';

/** Field types whose value is an object or whose editor is a whole field rather than a widget. */
const AS_FIELD: Record<string, string> = { money: 'money' };

/** Server widget names that rjsf's own widgets (antd theme) cover. */
const BUILT_IN: Record<string, string> = {
  text: 'text',
  email: 'email',
  url: 'uri',
  phone: 'text',
  textarea: 'textarea',
  checkbox: 'checkbox',
  number: 'updown',
};

/** The fields the user may not change: computed ones and those the server marks read-only. */
export function readOnlyFields(uiSchema: JsonSchema): Set<string> {
  return new Set(
    Object.entries(uiSchema)
      .filter(([key, entry]) => !key.startsWith('ui:') && (entry as JsonSchema)['ui:readonly'] === true)
      .map(([key]) => key),
  );
}

function entryFor(entry: JsonSchema, schema: JsonSchema | undefined): JsonSchema {
  const widget = String(entry['ui:widget'] ?? 'text');
  const { 'ui:widget': _widget, ...rest } = entry;
  const next: JsonSchema = { ...rest };
  const objectLike = schema?.type === 'object';
  if (widget === 'readonly' || (entry['ui:readonly'] === true && objectLike)) next['ui:field'] = 'readonly';
  else if (AS_FIELD[widget]) next['ui:field'] = AS_FIELD[widget];
  else if (widget === 'subtable') {
    const items = (entry.items ?? {}) as JsonSchema;
    const rowSchema = (schema?.items ?? {}) as JsonSchema;
    const rowProperties = (rowSchema.properties ?? {}) as Record<string, JsonSchema>;
    const rows: JsonSchema = { 'ui:order': [...((items['ui:order'] as string[] | undefined) ?? []), '*'] };
    for (const [name, value] of Object.entries(items)) {
      if (!name.startsWith('ui:')) rows[name] = entryFor(value as JsonSchema, rowProperties[name]);
    }
    // the row id is kept (so rows are updated, not replaced) but never shown
    rows.id = { 'ui:widget': 'hidden' };
    next.items = rows;
    next['ui:options'] = { ...((entry['ui:options'] as JsonSchema | undefined) ?? {}), orderable: true };
  } else next['ui:widget'] = BUILT_IN[widget] ?? widget;
  return next;
}

/** rjsf's schema and uiSchema for the values' condition state. */
export function rjsfSchemas(
  jsonSchema: JsonSchema,
  uiSchema: JsonSchema,
  state: ConditionState,
): { schema: JsonSchema; uiSchema: JsonSchema } {
  const hidden = new Set(state.hidden);
  const properties = (jsonSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = [...new Set([...((jsonSchema.required ?? []) as string[]), ...state.required])].filter(
    (name) => !hidden.has(name) && properties[name] !== undefined,
  );
  const ui: JsonSchema = {};
  for (const [key, value] of Object.entries(uiSchema)) {
    if (key.startsWith('ui:')) ui[key] = value;
    else ui[key] = entryFor(value as JsonSchema, properties[key]);
  }
  for (const name of state.readOnly) {
    if (ui[name]) ui[name] = { ...(ui[name] as JsonSchema), 'ui:readonly': true };
  }
  ui['ui:submitButtonOptions'] = { norender: true };
  // the server's schema is draft-07 without $schema trouble for rjsf's own (schema-only) uses
  const { $schema: _draft, ...schema } = jsonSchema;
  return { schema: { ...schema, required }, uiSchema: ui };
}
