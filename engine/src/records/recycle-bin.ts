import { type SQL, sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledField, CompiledModule, CompiledSubtable } from '../compile/module.ts';
import { EngineError, localizedError } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { undoRowChanges } from '../subtables/diff-rows.ts';
import type { Row } from '../subtables/prepare-rows.ts';
import type { Actor, RecordValues, RowChanges } from './types.ts';

/**
 * What deleting a record does to the live records pointing at it, run before it goes to the
 * recycle bin: a `restrict` relation refuses (naming who still points at it), a `setNull` relation
 * is cleared, with a history entry on each record it changes. Records in the bin keep their
 * references; a purge meets the foreign keys themselves.
 */
export async function releaseReferences(
  tx: Db,
  catalog: ModuleCatalog,
  history: SQL,
  module: CompiledModule,
  id: string,
  actor: Actor,
): Promise<void> {
  for (const { module: source, field, subtable } of catalog.references(module.id)) {
    if (subtable) {
      await releaseRowReferences(tx, catalog, source, subtable, field, id);
      continue;
    }
    const table = catalog.tableSql(source);
    const column = sql.identifier(field.columns[0]);
    if (field.definition.onDelete === 'setNull') {
      const changes = JSON.stringify({ [field.name]: { from: id, to: null } });
      await tx.run(
        sql`WITH r AS (
              UPDATE ${table} SET ${column} = NULL, version = version + 1, updated_at = now(),
                updated_by = ${actor.userId}
              WHERE ${column} = ${id} AND deleted_at IS NULL RETURNING id, version)
            INSERT INTO ${history} (module_id, record_id, version, op, actor, changes)
            SELECT ${source.id}, r.id, r.version, 'update', ${actor.userId}, ${changes}::jsonb FROM r`,
      );
      continue;
    }
    const [row] = await tx.query<{ n: number | string }>(
      sql`SELECT count(*) AS n FROM ${table} WHERE ${column} = ${id} AND deleted_at IS NULL`,
    );
    const count = Number(row.n);
    if (count > 0) {
      throw localizedError('conflict', '', 'referenced', {
        en: `the record is still referenced by ${source.name}.${field.name} (${count} record${count === 1 ? '' : 's'})`,
        'zh-CN': `该记录仍被 ${source.name}.${field.name} 引用（${count} 条记录）`,
      });
    }
  }
}

/**
 * A restored record must not point at records that are themselves in the recycle bin: each such
 * relation is an error on its field, so the user restores the target first.
 */
export async function checkTargetsLive(
  db: Db,
  catalog: ModuleCatalog,
  module: CompiledModule,
  record: RecordValues,
): Promise<void> {
  const problems = [];
  for (const field of module.fields) {
    const value = record[field.name];
    if (field.definition.type !== 'relation' || typeof value !== 'string') continue;
    const target = catalog.byId(String(field.definition.target));
    if (!target) continue;
    const [row] = await db.query<{ deleted: boolean }>(
      sql`SELECT deleted_at IS NOT NULL AS deleted FROM ${catalog.tableSql(target)} WHERE id = ${value}`,
    );
    if (row?.deleted) {
      const message = `the related ${target.name} record is in the recycle bin: restore it first`;
      problems.push({
        pointer: `/${field.name}`,
        code: 'relation-deleted',
        message,
        messages: { en: message, 'zh-CN': `关联的${target.name}记录在回收站中，请先恢复它` },
      });
    }
  }
  if (problems.length > 0) {
    throw new EngineError(
      'conflict',
      problems.map((p) => `${p.pointer.slice(1)}: ${p.message}`).join('; '),
      problems,
    );
  }
}

/**
 * The values of a record's fields as they were at `version`: the current values with every later
 * change undone, newest first. Fields added since then were empty; fields removed since are left out.
 */
export async function valuesAtVersion(
  db: Db,
  history: SQL,
  module: CompiledModule,
  id: string,
  version: number,
  current: RecordValues,
): Promise<RecordValues> {
  const rows = await db.query<{ changes: unknown }>(
    sql`SELECT changes FROM ${history} WHERE module_id = ${module.id} AND record_id = ${id}
        AND version > ${version} ORDER BY version DESC, id DESC`,
  );
  const values: RecordValues = {};
  for (const field of module.fields) values[field.name] = current[field.name] ?? null;
  for (const { changes } of rows) {
    const parsed = (typeof changes === 'string' ? JSON.parse(changes) : changes) as Record<
      string,
      { from?: unknown; rows?: RowChanges }
    >;
    for (const [name, change] of Object.entries(parsed)) {
      if (Object.hasOwn(values, name) && 'from' in change) values[name] = change.from ?? null;
      // sub-tables: their rows' changes undone one entry at a time
      if (Object.hasOwn(values, name) && change.rows) {
        values[name] = undoRowChanges((values[name] as Row[] | null) ?? [], change.rows);
      }
    }
  }
  return values;
}

/**
 * The same for relations inside sub-table rows of live records: `restrict` refuses, `setNull` clears
 * the rows' field (rows are part of their record; the clearing is not a change of the record's own).
 */
async function releaseRowReferences(
  tx: Db,
  catalog: ModuleCatalog,
  source: CompiledModule,
  subtable: CompiledSubtable,
  field: CompiledField,
  id: string,
): Promise<void> {
  const rows = sql.raw(qualified(catalog.schema, subtable.table));
  const column = sql.identifier(field.columns[0]);
  const live = sql`EXISTS (SELECT 1 FROM ${catalog.tableSql(source)} p WHERE p.id = s.parent_id AND p.deleted_at IS NULL)`;
  if (field.definition.onDelete === 'setNull') {
    await tx.run(sql`UPDATE ${rows} s SET ${column} = NULL WHERE s.${column} = ${id} AND ${live}`);
    return;
  }
  const [row] = await tx.query<{ n: number | string }>(
    sql`SELECT count(DISTINCT s.parent_id) AS n FROM ${rows} s WHERE s.${column} = ${id} AND ${live}`,
  );
  const count = Number(row.n);
  if (count > 0) {
    const where = `${source.name}.${subtable.name}.${field.name}`;
    throw localizedError('conflict', '', 'referenced', {
      en: `the record is still referenced by ${where} (${count} record${count === 1 ? '' : 's'})`,
      'zh-CN': `该记录仍被 ${where} 引用（${count} 条记录）`,
    });
  }
}
