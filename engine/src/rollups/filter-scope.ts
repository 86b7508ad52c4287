import type { ModuleDefinition } from '../definitions/types.ts';
import type { FeelScope } from '../expressions/index.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { rollupSettings } from '../fields/rollup.ts';
import { PARENT } from './filter-sql.ts';
import { resolveRollupSource } from './sources.ts';

/**
 * What the filter of the rollup field `rollup` of `definition` reads: one source row's fields, and
 * for rows of a sub-table the row's record as `parent` (unless a row field takes that name).
 * Undefined when the field is no rollup or its source cannot be resolved yet.
 */
export function rollupFilterScope(
  definition: ModuleDefinition,
  rollup: string,
  modules: ReadonlyMap<string, ModuleDefinition>,
  registry: FieldTypeRegistry,
): FeelScope | undefined {
  const field = definition.fields.find((f) => f.name === rollup && f.type === 'rollup');
  if (!field) return undefined;
  const { over } = rollupSettings(field);
  const source = typeof over === 'string' ? resolveRollupSource(definition, over, modules) : undefined;
  if (!source) return undefined;
  const variables: FeelScope['variables'] = {};
  for (const child of source.fields) {
    const type = registry.get(child.type);
    if (type) variables[child.name] = type.feelType(child);
  }
  if (source.kind === 'rows' && variables[PARENT] === undefined) variables[PARENT] = 'context';
  return { variables };
}
