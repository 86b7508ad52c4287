import { sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { dropSearchSql, installSearchSql } from './plan-steps.ts';
import { moduleSearchSpec } from './query.ts';
import { SEARCH_COLUMN } from './spec.ts';

/**
 * Brings the search columns of published module tables in step with their definitions where they
 * are not (tables published before keyword search existed, or by an older search function): column,
 * index, trigger and every record's terms. A publish keeps them in step after that.
 * Run when a workspace opens; concurrent servers serialize on the table lock and the second finds
 * nothing to do.
 */
export async function ensureSearchColumns(db: Db, schema: string, modules: CompiledModule[]): Promise<void> {
  if (modules.length === 0) return;
  const rows = await db.query<{ name: string; comment: string | null }>(
    sql`SELECT c.relname AS name, col_description(c.oid, a.attnum) AS comment
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = ${SEARCH_COLUMN} AND NOT a.attisdropped
        WHERE n.nspname = ${schema} AND c.relkind = 'r'`,
  );
  const current = new Map(rows.map((r) => [r.name, r.comment ?? '']));
  for (const module of modules) {
    const spec = moduleSearchSpec(module);
    const comment = current.get(module.name);
    if (comment === undefined || comment === spec.signature) continue;
    await db.transaction(async (tx) => {
      const table = qualified(schema, module.name);
      await tx.run(sql.raw(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`));
      const [{ comment: now }] = await tx.query<{ comment: string | null }>(
        sql`SELECT col_description(${table}::regclass, a.attnum) AS comment FROM (SELECT 1) x
            LEFT JOIN pg_attribute a ON a.attrelid = ${table}::regclass AND a.attname = ${SEARCH_COLUMN} AND NOT a.attisdropped`,
      );
      if ((now ?? '') === spec.signature) return;
      const statements =
        spec.signature === ''
          ? dropSearchSql(schema, table, module.id)
          : installSearchSql(schema, table, module.id, spec);
      for (const statement of statements) await tx.run(sql.raw(statement));
    });
  }
}
