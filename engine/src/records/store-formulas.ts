import { sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import { feelInput } from '../compile/formula-values.ts';
import type { CompiledFormula, CompiledModule } from '../compile/module.ts';
import { fromFeelValue } from '../expressions/index.ts';
import type { Db, Row as TableRow } from '../storage/db.ts';
import { loadRows } from '../subtables/store-rows.ts';
import type { RecordValues } from './types.ts';
import { rowToRecord, valuesToColumns } from './values.ts';

/**
 * Computes `formulas` (in their order) again for the table rows `rows` of `module`, as of `at`, and
 * stores the values that changed in one statement. Derived values: no version, history or
 * `updated_at` change. Used after rollups change and when formulas reading the clock go stale.
 */
export async function storeFormulas(
  tx: Db,
  catalog: ModuleCatalog,
  module: CompiledModule,
  rows: TableRow[],
  formulas: CompiledFormula[],
  at?: Date,
): Promise<void> {
  if (formulas.length === 0 || rows.length === 0) return;
  const ids = rows.map((row) => String(row.id));
  const reads = new Set(formulas.flatMap((f) => f.expression.references));
  const subs = module.subtables.filter((s) => reads.has(s.name));
  const rowsOf = subs.length > 0 ? await loadRows(tx, catalog.schema, module, ids, subs) : undefined;
  const columns = formulas.flatMap((f) => f.field.columns);
  const changed: Record<string, unknown>[] = [];
  for (const row of rows) {
    const record = rowToRecord(module, row) as RecordValues;
    Object.assign(record, rowsOf?.get(String(record.id)));
    let differs = false;
    for (const { field, expression, result } of formulas) {
      const value = fromFeelValue(expression.evaluate(feelInput(module, record), at).value, result) ?? null;
      if (JSON.stringify(value) === JSON.stringify(record[field.name] ?? null)) continue;
      record[field.name] = value;
      differs = true;
    }
    if (!differs) continue;
    const values = valuesToColumns(module, record);
    changed.push(Object.fromEntries([['id', record.id], ...columns.map((c) => [c, values.get(c) ?? null])]));
  }
  if (changed.length === 0) return;
  // one statement for every changed record; the table's row type gives the values their column types
  const table = catalog.tableSql(module);
  const t = sql.identifier('t');
  const assignments = columns.map((c) => sql`${sql.identifier(c)} = v.${sql.identifier(c)}`);
  await tx.run(
    sql`UPDATE ${table} ${t} SET ${sql.join(assignments, sql`, `)}
        FROM jsonb_populate_recordset(NULL::${table}, ${JSON.stringify(changed)}::jsonb) v
        WHERE ${t}.id = v.id`,
  );
}
