import { sql } from 'drizzle-orm';
import type { CompiledModule, CompiledSubtable } from '../compile/module.ts';
import type { RecordValues } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { diffRows } from './diff-rows.ts';
import type { Row } from './prepare-rows.ts';

export function rowTable(schema: string, sub: CompiledSubtable) {
  return sql.raw(qualified(schema, sub.table));
}

/** A child table row as the API's row object: its id, then its fields (null when empty). */
function rowFromColumns(sub: CompiledSubtable, raw: Record<string, unknown>): Row {
  const row: Row = { id: raw.id };
  for (const field of sub.fields) {
    const values = field.columns.map((c) => raw[c] ?? null);
    row[field.name] = values.every((v) => v === null) ? null : field.fromColumns(values);
  }
  return row;
}

/**
 * The rows of the sub-tables `subs` (all of the module's when omitted) of the records `ids`, in
 * position order: record id → sub-table name → rows. Records without rows get empty lists.
 */
export async function loadRows(
  db: Db,
  schema: string,
  module: CompiledModule,
  ids: string[],
  subs: CompiledSubtable[] = module.subtables,
): Promise<Map<string, Record<string, Row[]>>> {
  const byRecord = new Map<string, Record<string, Row[]>>(
    ids.map((id) => [id, Object.fromEntries(subs.map((s) => [s.name, [] as Row[]]))]),
  );
  if (ids.length === 0) return byRecord;
  for (const sub of subs) {
    const rows = await db.query<Record<string, unknown>>(
      sql`SELECT * FROM ${rowTable(schema, sub)} WHERE parent_id = ANY(${sql.param(ids)}::uuid[])
          ORDER BY parent_id, position`,
    );
    for (const raw of rows) byRecord.get(String(raw.parent_id))?.[sub.name].push(rowFromColumns(sub, raw));
  }
  return byRecord;
}

/**
 * Stores the rows of every sub-table whose rows differ between `before` (undefined for a new record)
 * and `after`: the record's rows are replaced by the new list, ids kept, positions following the
 * list. Inside the caller's transaction, after the record's own row is written.
 */
export async function saveRows(
  db: Db,
  schema: string,
  module: CompiledModule,
  recordId: string,
  before: RecordValues | undefined,
  after: RecordValues,
): Promise<void> {
  for (const sub of module.subtables) {
    const old = (before?.[sub.name] as Row[] | undefined) ?? [];
    const rows = (after[sub.name] as Row[] | undefined) ?? [];
    if (!diffRows(sub, old, rows)) continue;
    const table = rowTable(schema, sub);
    if (old.length > 0) await db.run(sql`DELETE FROM ${table} WHERE parent_id = ${recordId}`);
    if (rows.length === 0) continue;
    const columns = ['id', 'parent_id', 'position', ...sub.fields.flatMap((f) => f.columns)];
    const values = rows.map((row, position) => {
      const cells = [sql`${row.id}::uuid`, sql`${recordId}::uuid`, sql`${position}`];
      for (const field of sub.fields) {
        const value = row[field.name];
        const raw =
          value === null || value === undefined ? field.columns.map(() => null) : field.toColumns(value);
        for (const cell of raw)
          cells.push(Array.isArray(cell) ? sql`${sql.param(cell)}` : sql`${cell ?? null}`);
      }
      return sql`(${sql.join(cells, sql`, `)})`;
    });
    await db.run(
      sql`INSERT INTO ${table} (${sql.join(
        columns.map((c) => sql.identifier(c)),
        sql`, `,
      )}) VALUES ${sql.join(values, sql`, `)}`,
    );
  }
}
