import type { CompiledModule } from '../compile/module.ts';
import { EngineError } from '../errors.ts';
import { formulaFilterFamily } from '../fields/formula.ts';
import type { FilterFamily } from '../fields/registry.ts';
import { rollupFilterFamily } from '../fields/rollup.ts';

/** A field as queries see it: the column to compare and sort on, and its operator family. */
export interface QueryField {
  name: string;
  column: string;
  family: FilterFamily;
  /** For date families: whether the column holds a date or a timestamp. */
  temporal?: 'date' | 'datetime';
  sortable: boolean;
  notNull: boolean;
  /** For integer columns: the largest magnitude the column takes (fractions and more fail in SQL). */
  integerMax?: number;
  /** The relation's target module id, for paths like `customer.industry`. */
  target?: string;
}

const SYSTEM_QUERY_FIELDS: Record<string, QueryField> = {
  id: { name: 'id', column: 'id', family: 'reference', sortable: true, notNull: true },
  version: {
    name: 'version',
    column: 'version',
    family: 'number',
    sortable: true,
    notNull: true,
    integerMax: 2147483647,
  },
  owner: { name: 'owner', column: 'owner', family: 'reference', sortable: true, notNull: false },
  created_at: {
    name: 'created_at',
    column: 'created_at',
    family: 'date',
    temporal: 'datetime',
    sortable: true,
    notNull: true,
  },
  created_by: {
    name: 'created_by',
    column: 'created_by',
    family: 'reference',
    sortable: true,
    notNull: false,
  },
  updated_at: {
    name: 'updated_at',
    column: 'updated_at',
    family: 'date',
    temporal: 'datetime',
    sortable: true,
    notNull: true,
  },
  updated_by: {
    name: 'updated_by',
    column: 'updated_by',
    family: 'reference',
    sortable: true,
    notNull: false,
  },
  // always empty on live records; what the recycle bin sorts and filters by
  deleted_at: {
    name: 'deleted_at',
    column: 'deleted_at',
    family: 'date',
    temporal: 'datetime',
    sortable: true,
    notNull: false,
  },
  deleted_by: {
    name: 'deleted_by',
    column: 'deleted_by',
    family: 'reference',
    sortable: true,
    notNull: false,
  },
};

/** Whether the actor may read a module's field; a field they may not is answered as unknown. */
export type FieldVisibility = (module: CompiledModule, name: string) => boolean;

export function queryField(
  module: CompiledModule,
  name: string,
  pointer: string,
  visible?: FieldVisibility,
): QueryField {
  // own keys only: `constructor` or `__proto__` must not find Object.prototype's members
  const system = Object.hasOwn(SYSTEM_QUERY_FIELDS, name) ? SYSTEM_QUERY_FIELDS[name] : undefined;
  if (system) return system;
  const field = visible && !visible(module, name) ? undefined : module.byName.get(name);
  const family =
    field &&
    (field.definition.type === 'formula'
      ? formulaFilterFamily(field.definition)
      : field.definition.type === 'rollup'
        ? rollupFilterFamily(field.definition)
        : field.type.filter);
  if (!field || !family || field.columns.length === 0) {
    throw new EngineError('invalid-query', `unknown field '${name}'`, [
      {
        pointer,
        code: 'unknown-field',
        message: `module '${module.name}' has no filterable field '${name}'`,
      },
    ]);
  }
  const sqlType = field.sqlTypes[0];
  return {
    name,
    column: field.columns[0],
    family,
    temporal: sqlType === 'date' ? 'date' : sqlType === 'timestamptz' ? 'datetime' : undefined,
    sortable: field.type.sortable === true,
    notNull: false,
    ...(sqlType === 'bigint' ? { integerMax: Number.MAX_SAFE_INTEGER } : {}),
    target: field.definition.type === 'relation' ? String(field.definition.target) : undefined,
  };
}
