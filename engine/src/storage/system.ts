import { sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { SYSTEM_MIGRATIONS } from './meta-tables.ts';

/** Arbitrary constant: the advisory lock that serializes system migrations across servers. */
const MIGRATION_LOCK = 727_001;

/** Brings the engine's own tables up to date; safe to run from many servers at once. */
export async function migrateSystem(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.run(sql.raw('CREATE SCHEMA IF NOT EXISTS crm_meta'));
    await tx.run(
      sql.raw(`CREATE TABLE IF NOT EXISTS crm_meta.system_migrations (
        id integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`),
    );
    const applied = new Set(
      (await tx.query<{ id: number }>(sql`SELECT id FROM crm_meta.system_migrations`)).map((r) =>
        Number(r.id),
      ),
    );
    for (const [index, statements] of SYSTEM_MIGRATIONS.entries()) {
      const id = index + 1;
      if (applied.has(id)) continue;
      for (const statement of statements) await tx.run(sql.raw(statement));
      await tx.run(sql`INSERT INTO crm_meta.system_migrations (id) VALUES (${id})`);
    }
  });
}
