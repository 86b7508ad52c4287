// Raw SQL for tests that look under the engine (table columns, archived data): read-only checks.
import type { Engine } from '@crm/engine';

/** Rows of `text` on the engine's database, PGlite or PostgreSQL alike. */
export async function rawRows(engine: Engine, text: string): Promise<Record<string, unknown>[]> {
  const result = (await engine.db.drizzle.execute(text)) as unknown;
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** Column names of a workspace table, in table order. */
export async function tableColumns(engine: Engine, schema: string, table: string): Promise<string[]> {
  const rows = await rawRows(
    engine,
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = '${schema}' AND table_name = '${table.replace(/'/g, "''")}' ORDER BY ordinal_position`,
  );
  return rows.map((r) => String(r.column_name));
}
