import type { ModuleDefinition } from './types.ts';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `${prefix}_${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/**
 * Gives every field, rule and section without an id one: the id of the same-named part of
 * `previous` (so re-sending a definition without ids does not turn fields into new ones), or a new id.
 * Only a part that carries its id can be renamed.
 */
export function assignIds(
  input: Record<string, unknown>,
  previous?: ModuleDefinition,
): Record<string, unknown> {
  const definition = structuredClone(input);
  if (definition.id === undefined) definition.id = previous?.id ?? newId('mod');
  const fill = (
    list: unknown,
    old: { id: string; name?: string }[] | undefined,
    prefix: string,
    key: string,
  ) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== 'object' || item === null || 'id' in item) continue;
      const named = (item as Record<string, unknown>)[key];
      const match = old?.find((o) => (o as Record<string, unknown>)[key] === named && named !== undefined);
      (item as Record<string, unknown>).id = match?.id ?? newId(prefix);
    }
  };
  fill(definition.fields, previous?.fields, 'fld', 'name');
  // the rows of sub-tables: their fields and rules keep their ids the same way
  if (Array.isArray(definition.fields)) {
    for (const field of definition.fields as Record<string, unknown>[]) {
      if (typeof field !== 'object' || field === null || field.type !== 'subtable') continue;
      const old = previous?.fields.find((f) => f.id === field.id);
      fill(field.fields, old?.fields as { id: string }[] | undefined, 'fld', 'name');
      fill(field.rules, old?.rules as { id: string }[] | undefined, 'rule', 'expression');
    }
  }
  fill(definition.rules, previous?.rules, 'rule', 'expression');
  const layout = definition.layout as { sections?: unknown } | undefined;
  fill(layout?.sections, previous?.layout?.sections, 'sec', 'id');
  return definition;
}
