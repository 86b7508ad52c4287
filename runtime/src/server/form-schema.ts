import type { FieldAccess, FormConditions, FormFormulas, JsonSchema } from '@crm/engine';

/**
 * A module's form schemas as one actor may use them: fields they may not read left out (of the
 * properties, the required list, the order and the layout), fields they may read but not write
 * shown read-only.
 */
export function formSchemasFor(
  jsonSchema: JsonSchema,
  uiSchema: JsonSchema,
  access: FieldAccess,
): { jsonSchema: JsonSchema; uiSchema: JsonSchema } {
  if (access.all) return { jsonSchema, uiSchema };
  const shown = (name: string) => access.readable.has(name);
  const properties = Object.fromEntries(
    Object.entries((jsonSchema.properties ?? {}) as Record<string, JsonSchema>).filter(([name]) =>
      shown(name),
    ),
  );
  const required = ((jsonSchema.required ?? []) as string[]).filter(shown);
  const ui: JsonSchema = {};
  for (const [key, value] of Object.entries(uiSchema)) {
    if (key.startsWith('ui:')) continue;
    if (!shown(key)) continue;
    ui[key] = access.writable.has(key) ? value : { ...(value as JsonSchema), 'ui:readonly': true };
  }
  ui['ui:order'] = ((uiSchema['ui:order'] ?? []) as string[]).filter(shown);
  const layout = uiSchema['ui:layout'] as { sections: { fields: string[] }[] } | undefined;
  if (layout) {
    ui['ui:layout'] = {
      ...layout,
      sections: layout.sections
        .map((section) => ({ ...section, fields: section.fields.filter(shown) }))
        .filter((section) => section.fields.length > 0),
    };
  }
  const conditions = uiSchema['ui:conditions'] as FormConditions | undefined;
  if (conditions) {
    const fields = Object.entries(conditions.fields).filter(([name]) => shown(name));
    if (fields.length > 0) ui['ui:conditions'] = { ...conditions, fields: Object.fromEntries(fields) };
  }
  // formulas reading a field left out here are then not computable in the form: they keep the saved value
  const formulas = uiSchema['ui:formulas'] as FormFormulas | undefined;
  if (formulas) ui['ui:formulas'] = { fields: formulas.fields.filter((f) => shown(f.name)) };
  return { jsonSchema: { ...jsonSchema, properties, required }, uiSchema: ui };
}

/** What a lookup widget needs of a relation's target module: its API name and the field that titles its records. */
export interface RelationTarget {
  module: string;
  titleField: string;
}

/**
 * The uiSchema with each relation entry's `ui:options` completed by its target's name and title
 * field (rows of sub-tables included), so a lookup searches and shows records without another call.
 */
export function withRelationTargets(
  uiSchema: JsonSchema,
  targetOf: (moduleId: string) => RelationTarget | undefined,
): JsonSchema {
  const complete = (entry: JsonSchema): JsonSchema => {
    const options = entry['ui:options'] as { target?: unknown } | undefined;
    let next = entry;
    if (typeof options?.target === 'string') {
      const target = targetOf(options.target);
      if (target)
        next = {
          ...entry,
          'ui:options': { ...options, targetModule: target.module, titleField: target.titleField },
        };
    }
    const items = entry.items as JsonSchema | undefined;
    if (items && typeof items === 'object') next = { ...next, items: withRelationTargets(items, targetOf) };
    return next;
  };
  return Object.fromEntries(
    Object.entries(uiSchema).map(([key, value]) =>
      key.startsWith('ui:') || typeof value !== 'object' || value === null
        ? [key, value]
        : [key, complete(value as JsonSchema)],
    ),
  );
}
