import { type SQL, sql } from 'drizzle-orm';
import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import { relationSettings } from '../fields/relation.ts';
import { rollupSettings } from '../fields/rollup.ts';
import { subtableSettings } from '../fields/subtable.ts';
import { qualified, subtableName } from '../storage/naming.ts';
import { type CompiledFilter, compileFilterSql } from './filter-sql.ts';

/**
 * Where a rollup's source rows live:
 * - `records`: records of `module` whose relation field `link` points at the rollup's record;
 * - `rows`: rows of `module`'s sub-table `subtable`, either the rollup's own record's rows (`link`
 *   absent: they hang on it by `parent_id`) or rows whose relation field `link` points at it.
 */
export interface RollupSource {
  kind: 'records' | 'rows';
  module: ModuleDefinition;
  subtable?: FieldDefinition;
  link?: FieldDefinition;
  /** The fields of one source row. */
  fields: FieldDefinition[];
}

/** The source a rollup named `over` on `module` reads, or undefined when no list or sub-table has that name. */
export function resolveRollupSource(
  module: ModuleDefinition,
  over: string,
  modules: ReadonlyMap<string, ModuleDefinition>,
): RollupSource | undefined {
  const own = module.fields.find((f) => f.name === over && f.type === 'subtable');
  if (own) return { kind: 'rows', module, subtable: own, fields: subtableSettings(own).fields };
  const pointsHere = (f: FieldDefinition) =>
    f.type === 'relation' &&
    relationSettings(f).target === module.id &&
    relationSettings(f).inverse?.name === over;
  for (const other of modules.values()) {
    for (const field of other.fields) {
      if (pointsHere(field)) return { kind: 'records', module: other, link: field, fields: other.fields };
      if (field.type !== 'subtable') continue;
      const children = subtableSettings(field).fields;
      const link = children.find(pointsHere);
      if (link) return { kind: 'rows', module: other, subtable: field, link, fields: children };
    }
  }
  return undefined;
}

/** The table of the source rows. */
export function sourceTable(schema: string, source: RollupSource): SQL {
  return sql.raw(
    source.subtable
      ? qualified(schema, subtableName(source.module.id, source.subtable.id))
      : qualified(schema, source.module.name),
  );
}

/** The column of the source rows that holds the id of the record the rollup belongs to. */
export function linkColumn(source: RollupSource): string {
  return source.link ? source.link.name : 'parent_id';
}

/** A rollup's filter over the rows of `source` (`s`); rows of a sub-table see their record as `parent` (`p`). */
export function compileSourceFilter(filter: string, source: RollupSource): CompiledFilter {
  const parent =
    source.kind === 'rows'
      ? { module: source.module.name, fields: source.module.fields, alias: 'p' }
      : undefined;
  return compileFilterSql(filter, source.fields, 's', parent);
}

/**
 * The aggregate of one rollup over the source rows of the record `alias`.id, as a scalar subquery:
 * count and sum of nothing are 0, min/max/avg of nothing null. Rows of a sub-table are joined to
 * their record (`p`) when the filter reads it or when it belongs to another module (it must be live).
 */
export function rollupSubquery(
  schema: string,
  rollup: FieldDefinition,
  source: RollupSource,
  alias: SQL,
): SQL {
  const { aggregate, field, filter } = rollupSettings(rollup);
  const s = sql.identifier('s');
  const conditions: SQL[] = [sql`${s}.${sql.identifier(linkColumn(source))} = ${alias}.id`];
  let readsParent = false;
  if (filter) {
    const compiled = compileSourceFilter(filter, source);
    if (!compiled.ok) throw new Error(`rollup ${rollup.name}: ${compiled.problem}`);
    conditions.push(compiled.sql);
    readsParent = compiled.parentReferences.length > 0;
  }
  let from = sql`${sourceTable(schema, source)} ${s}`;
  if (source.kind === 'rows' && (source.link || readsParent)) {
    from = sql`${from} JOIN ${sql.raw(qualified(schema, source.module.name))} p ON p.id = ${s}.parent_id`;
  }
  // records in the recycle bin count for nothing, nor do the rows of another module's records there
  if (source.kind === 'records') conditions.push(sql`${s}.deleted_at IS NULL`);
  else if (source.link) conditions.push(sql`p.deleted_at IS NULL`);
  const column = field ? sql`${s}.${sql.identifier(field)}` : sql`NULL`;
  const value =
    aggregate === 'count'
      ? sql`count(*)`
      : aggregate === 'sum'
        ? sql`coalesce(sum(${column}), 0)`
        : sql`${sql.raw(aggregate)}(${column})`;
  return sql`(SELECT ${value} FROM ${from} WHERE ${sql.join(conditions, sql` AND `)})`;
}
