import { type SQL, sql } from 'drizzle-orm';
import type { CompiledField, CompiledModule } from '../compile/module.ts';
import type { LocaleText } from '../definitions/types.ts';
import { EngineError, type Problem, pointerOf } from '../errors.ts';
import { relationsSettings } from '../fields/relations.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import type { CreateHook } from './create-hooks.ts';
import type { RecordValues } from './types.ts';

/**
 * A list of linked records as one module sees it: a many-relation field on its source module
 * (`forward`), or the field's inverse list on the target module. `self` is the join table column
 * holding the viewing record's id, `others` the one holding the listed records' ids.
 */
export interface LinkList {
  name: string;
  label: LocaleText;
  /** The module whose records hold the list. */
  module: CompiledModule;
  /** The module of the records listed. */
  other: CompiledModule;
  /** The many-relation field (on the source module). */
  field: CompiledField;
  source: CompiledModule;
  /** The join table. */
  table: SQL;
  /** The table of the records listed. */
  otherTable: SQL;
  self: 'source_id' | 'target_id';
  others: 'source_id' | 'target_id';
  forward: boolean;
}

/** Both lists a many-relation field makes: the field on its module, the inverse on its target. */
export function linkListsOf(
  schema: string,
  source: CompiledModule,
  field: CompiledField,
  target: CompiledModule,
): LinkList[] {
  if (!field.linkTable) return [];
  const table = sql.raw(qualified(schema, field.linkTable));
  const common = { field, source, table };
  const tableOf = (module: CompiledModule) => sql.raw(qualified(schema, module.name));
  const lists: LinkList[] = [
    {
      ...common,
      name: field.name,
      label: field.definition.label,
      module: source,
      other: target,
      otherTable: tableOf(target),
      self: 'source_id',
      others: 'target_id',
      forward: true,
    },
  ];
  const { inverse } = relationsSettings(field.definition);
  if (inverse) {
    lists.push({
      ...common,
      name: inverse.name,
      label: inverse.label,
      module: target,
      other: source,
      otherTable: tableOf(source),
      self: 'target_id',
      others: 'source_id',
      forward: false,
    });
  }
  return lists;
}

const col = (alias: string, name: string) => sql`${sql.identifier(alias)}.${sql.identifier(name)}`;

/** What reading links needs: the workspace's schema and the tables of the modules linked to. */
export interface LinkTables {
  schema: string;
  moduleTable(moduleId: string): string | undefined;
}

/** The qualified tables a module's many-relation fields link to, in field order. */
export function linkTargetTables(module: CompiledModule, tables: LinkTables): string[] {
  return module.fields.flatMap((field) =>
    field.linkTable ? [tables.moduleTable(relationsSettings(field.definition).target) ?? ''] : [],
  );
}

/**
 * The select-list entries reading a module's many-relation fields off the row aliased `alias`:
 * each an array of the ids of the live records linked, in the user's order, named like the field.
 * Links to records in the recycle bin stay stored (a restore brings them back) but are not shown.
 */
export function linkColumns(module: CompiledModule, alias: string, tables: LinkTables): SQL[] {
  const targets = linkTargetTables(module, tables);
  return module.fields
    .filter((field) => field.linkTable)
    .map((field, i) => {
      const table = sql.raw(qualified(tables.schema, field.linkTable ?? ''));
      const live = targets[i]
        ? sql` JOIN ${sql.raw(targets[i])} x ON x.id = l.target_id AND x.deleted_at IS NULL`
        : sql``;
      return sql`ARRAY(SELECT l.target_id::text FROM ${table} l${live}
        WHERE l.source_id = ${col(alias, 'id')} ORDER BY l.position, l.target_id) AS ${sql.identifier(field.name)}`;
    });
}

/** The many-relation fields whose value differs between `before` (none for a create) and `after`. */
export function changedLinkFields(
  module: CompiledModule,
  before: RecordValues | undefined,
  after: RecordValues,
): CompiledField[] {
  return module.fields.filter(
    (f) =>
      f.linkTable !== undefined &&
      JSON.stringify(before?.[f.name] ?? null) !== JSON.stringify(after[f.name] ?? null),
  );
}

type TableOf = (moduleId: string) => { module: CompiledModule; table: SQL } | undefined;

/** Writes the links of new records in their create's transaction, after their rows. */
export function linksHook(
  schema: string,
  tableOf: TableOf,
): (module: CompiledModule) => CreateHook | undefined {
  return (module) =>
    module.fields.some((f) => f.linkTable)
      ? {
          async afterInsert(tx, _module, records) {
            for (const record of records) {
              const fields = changedLinkFields(module, undefined, record.values);
              if (fields.length > 0) {
                await writeLinks(tx, schema, fields, tableOf, record.id, record.values, false);
              }
            }
          },
        }
      : undefined;
}

/**
 * Replaces the links of record `id` for each field of `fields` with `values` (in their order),
 * inside the caller's transaction. Every id must name an existing record of the field's target:
 * the unknown ones are reported together, by position (`/tags/2`), before anything is written.
 * `replacing` false: a new record, which has no links to remove.
 */
export async function writeLinks(
  tx: Db,
  schema: string,
  fields: CompiledField[],
  tableOf: TableOf,
  id: string,
  values: RecordValues,
  replacing = true,
): Promise<void> {
  const problems: Problem[] = [];
  for (const field of fields) {
    const ids = (values[field.name] as string[] | null | undefined) ?? [];
    if (ids.length === 0) continue;
    // the schema refuses exact repeats; these differ only in letter case
    ids.forEach((value, i) => {
      const first = ids.indexOf(value);
      if (first === i) return;
      const earlier = pointerOf(field.name, first);
      const message = `the same record is linked twice (also at ${earlier})`;
      problems.push({
        pointer: pointerOf(field.name, i),
        code: 'uniqueItems',
        message,
        messages: { en: message, 'zh-CN': `同一记录重复关联（与 ${earlier} 相同）` },
      });
    });
    const target = tableOf(relationsSettings(field.definition).target);
    const missing = target
      ? await tx.query<{ i: string | number }>(
          sql`SELECT x.i FROM unnest(${sql.param(ids)}::uuid[]) WITH ORDINALITY AS x(id, i)
              WHERE NOT EXISTS (SELECT 1 FROM ${target.table} r WHERE r.id = x.id AND r.deleted_at IS NULL)
              ORDER BY x.i`,
        )
      : ids.map((_, i) => ({ i: i + 1 }));
    const name = target?.module.name ?? 'related';
    for (const { i } of missing) {
      const message = `no ${name} record has this id`;
      problems.push({
        pointer: pointerOf(field.name, Number(i) - 1),
        code: 'relation',
        message,
        messages: { en: message, 'zh-CN': '关联的记录不存在' },
      });
    }
  }
  if (problems.length > 0) {
    const names = [...new Set(problems.map((p) => p.pointer.split('/')[1]))].join(', ');
    throw new EngineError('invalid-record', `the record is not valid (${names})`, problems);
  }
  for (const field of fields) {
    const table = sql.raw(qualified(schema, field.linkTable ?? ''));
    const ids = (values[field.name] as string[] | null | undefined) ?? [];
    if (replacing) {
      const target = tableOf(relationsSettings(field.definition).target);
      // links to records in the recycle bin were not shown, so they are not replaced: a restore brings them back
      const shown = target
        ? sql` AND EXISTS (SELECT 1 FROM ${target.table} x WHERE x.id = l.target_id AND x.deleted_at IS NULL)`
        : sql``;
      await tx.run(sql`DELETE FROM ${table} l WHERE l.source_id = ${id}${shown}`);
    }
    if (ids.length === 0) continue;
    await tx.run(
      sql`INSERT INTO ${table} (source_id, target_id, position)
          SELECT ${id}, x.id, x.i FROM unnest(${sql.param(ids)}::uuid[]) WITH ORDINALITY AS x(id, i)`,
    );
  }
}
