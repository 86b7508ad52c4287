import { sql } from 'drizzle-orm';
import type { Db } from '../storage/db.ts';
import { quoteIdent } from '../storage/naming.ts';

/** Arbitrary constant: serializes plugin installs of a workspace across servers. */
export const PLUGIN_LOCK = 727_090;

/** The workspace's plugin tables by name, quoted. */
export function pluginTables(schema: string) {
  const q = `${quoteIdent(schema)}.`;
  return {
    plugins: sql.raw(`${q}_plugins`),
    migrations: sql.raw(`${q}_plugin_migrations`),
    jobs: sql.raw(`${q}_plugin_jobs`),
  };
}

/**
 * The plugin tables (made here rather than in the numbered workspace migrations, so the plugin host
 * stays a part a workspace can do without): the state of each plugin, the migrations it ran, and
 * the next run of each of its jobs.
 */
export async function ensurePluginTables(db: Db, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await db.transaction(async (tx) => {
    await tx.run(sql`SELECT pg_advisory_xact_lock(${PLUGIN_LOCK})`);
    await tx.run(
      sql.raw(`CREATE TABLE IF NOT EXISTS ${s}._plugins (
        name text PRIMARY KEY,
        version text NOT NULL,
        state text NOT NULL CHECK (state IN ('enabled', 'disabled', 'uninstalled')),
        installed_at timestamptz NOT NULL,
        changed_at timestamptz NOT NULL,
        last_error text,
        last_error_at timestamptz)`),
    );
    await tx.run(
      sql.raw(`CREATE TABLE IF NOT EXISTS ${s}._plugin_migrations (
        plugin text NOT NULL,
        id text NOT NULL,
        plugin_version text NOT NULL,
        applied_at timestamptz NOT NULL,
        PRIMARY KEY (plugin, id))`),
    );
    await tx.run(
      sql.raw(`CREATE TABLE IF NOT EXISTS ${s}._plugin_jobs (
        plugin text NOT NULL,
        name text NOT NULL,
        next_run timestamptz NOT NULL,
        last_run timestamptz,
        last_error text,
        PRIMARY KEY (plugin, name))`),
    );
  });
}
