import { sql } from 'drizzle-orm';
import type { CompiledModule, CompiledSubtable } from '../compile/module.ts';
import type { RecordValues } from '../records/types.ts';
import { type Db, type PreparedStatement, prepareStatement } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { diffRows } from './diff-rows.ts';
import type { Row } from './prepare-rows.ts';

export function rowTable(schema: string, sub: CompiledSubtable) {
  return sql.raw(qualified(schema, sub.table));
}

interface RowStatements {
  select: PreparedStatement;
  delete: PreparedStatement;
  insert: (rows: number) => PreparedStatement;
}

const prepared = new WeakMap<CompiledSubtable, Map<string, RowStatements>>();

/** The statements of a sub-table's rows, rendered once per sub-table version and schema. */
function statementsOf(schema: string, sub: CompiledSubtable): RowStatements {
  let bySchema = prepared.get(sub);
  if (!bySchema) {
    bySchema = new Map();
    prepared.set(sub, bySchema);
  }
  let statements = bySchema.get(schema);
  if (!statements) {
    const table = rowTable(schema, sub);
    const columns = ['id', 'parent_id', 'position', ...sub.fields.flatMap((f) => f.columns)];
    const names = sql.join(
      columns.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const inserts = new Map<number, PreparedStatement>();
    statements = {
      select: prepareStatement(
        sql`SELECT ${names} FROM ${table} WHERE parent_id = ANY(${sql.placeholder('ids')}::uuid[])
            ORDER BY parent_id, position`,
      ),
      delete: prepareStatement(sql`DELETE FROM ${table} WHERE parent_id = ${sql.placeholder('parent')}`),
      insert: (rows) => {
        let statement = inserts.get(rows);
        if (!statement) {
          const values = Array.from(
            { length: rows },
            (_, k) =>
              sql`(${sql.join(
                columns.map((_c, i) => sql.placeholder(`r${k}_${i}`)),
                sql`, `,
              )})`,
          );
          statement = prepareStatement(
            sql`INSERT INTO ${table} (${names}) VALUES ${sql.join(values, sql`, `)}`,
          );
          inserts.set(rows, statement);
        }
        return statement;
      },
    };
    bySchema.set(schema, statements);
  }
  return statements;
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
    const rows = await db.execute(statementsOf(schema, sub).select, { ids });
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
    const statements = statementsOf(schema, sub);
    if (old.length > 0) await db.execute(statements.delete, { parent: recordId });
    if (rows.length === 0) continue;
    const values: Record<string, unknown> = {};
    rows.forEach((row, k) => {
      const cells: unknown[] = [row.id, recordId, k];
      for (const field of sub.fields) {
        const value = row[field.name];
        cells.push(
          ...(value === null || value === undefined ? field.columns.map(() => null) : field.toColumns(value)),
        );
      }
      cells.forEach((cell, i) => {
        values[`r${k}_${i}`] = cell ?? null;
      });
    });
    await db.execute(statements.insert(rows.length), values);
  }
}
