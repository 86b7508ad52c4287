import { sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { HISTORY_TABLE, quoteIdent } from './naming.ts';

/**
 * The tables every workspace schema has besides its modules' tables, as numbered migrations:
 * append, never edit. `S` stands for the workspace's quoted schema name. System tables start with
 * `_`, which no module name can, so they never clash with a module.
 */
const WORKSPACE_MIGRATIONS: ((S: string) => string[])[] = [
  // 1: record history
  (S) => [
    `CREATE TABLE IF NOT EXISTS ${S}.${HISTORY_TABLE} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      module_id text NOT NULL, record_id uuid NOT NULL, version integer NOT NULL,
      op text NOT NULL, at timestamptz NOT NULL DEFAULT now(), actor uuid, changes jsonb NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${HISTORY_TABLE}_record`)} ON ${S}.${HISTORY_TABLE} (module_id, record_id, version)`,
  ],
  // 2: organisation, identity and access
  (S) => [
    // A department's path lists the ids from the root down to itself ('/<root>/…/<id>/'), so
    // "this department and below" is one prefix match, served by a pattern index.
    `CREATE TABLE ${S}._departments (
      id uuid PRIMARY KEY, name jsonb NOT NULL, parent_id uuid REFERENCES ${S}._departments (id),
      path text NOT NULL UNIQUE, head_id uuid, sort integer NOT NULL DEFAULT 0,
      archived boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX _departments_path ON ${S}._departments (path text_pattern_ops)`,
    `CREATE INDEX _departments_parent ON ${S}._departments (parent_id)`,
    `CREATE TABLE ${S}._positions (
      id uuid PRIMARY KEY, name jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE ${S}._users (
      id uuid PRIMARY KEY, username text NOT NULL UNIQUE, display_name text NOT NULL,
      email text, phone text, locale text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
      is_admin boolean NOT NULL DEFAULT false,
      department_id uuid REFERENCES ${S}._departments (id),
      position_id uuid REFERENCES ${S}._positions (id),
      manager_id uuid REFERENCES ${S}._users (id),
      password_hash text, password_changed_at timestamptz,
      failed_logins integer NOT NULL DEFAULT 0, locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX _users_department ON ${S}._users (department_id)`,
    `CREATE INDEX _users_manager ON ${S}._users (manager_id)`,
    `ALTER TABLE ${S}._departments ADD FOREIGN KEY (head_id) REFERENCES ${S}._users (id)`,
    // A role's definition (its permission matrix) is configuration, checked by a meta-schema.
    `CREATE TABLE ${S}._roles (
      id text PRIMARY KEY, definition jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE ${S}._user_roles (
      user_id uuid NOT NULL REFERENCES ${S}._users (id) ON DELETE CASCADE,
      role_id text NOT NULL REFERENCES ${S}._roles (id) ON DELETE CASCADE,
      PRIMARY KEY (user_id, role_id))`,
    `CREATE TABLE ${S}._department_roles (
      department_id uuid NOT NULL REFERENCES ${S}._departments (id) ON DELETE CASCADE,
      role_id text NOT NULL REFERENCES ${S}._roles (id) ON DELETE CASCADE,
      include_children boolean NOT NULL DEFAULT true,
      PRIMARY KEY (department_id, role_id))`,
    // Secrets are stored hashed: a session id or token never lies in the database as sent.
    `CREATE TABLE ${S}._sessions (
      id_hash text PRIMARY KEY, user_id uuid NOT NULL REFERENCES ${S}._users (id) ON DELETE CASCADE,
      csrf_token text NOT NULL, ip text, user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(), last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL)`,
    `CREATE INDEX _sessions_user ON ${S}._sessions (user_id)`,
    `CREATE TABLE ${S}._api_tokens (
      id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES ${S}._users (id) ON DELETE CASCADE,
      name text NOT NULL, token_hash text NOT NULL UNIQUE, scopes text[] NOT NULL,
      expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX _api_tokens_user ON ${S}._api_tokens (user_id)`,
    `CREATE TABLE ${S}._login_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id uuid, username text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(), ip text, user_agent text, result text NOT NULL)`,
    `CREATE INDEX _login_history_user ON ${S}._login_history (user_id, at)`,
    `CREATE TABLE ${S}._shares (
      module_id text NOT NULL, record_id uuid NOT NULL,
      principal_type text NOT NULL CHECK (principal_type IN ('user', 'department')),
      principal_id uuid NOT NULL, access text NOT NULL CHECK (access IN ('read', 'edit')),
      granted_by uuid, granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (module_id, record_id, principal_type, principal_id))`,
    `CREATE INDEX _shares_principal ON ${S}._shares (principal_type, principal_id, module_id)`,
    `CREATE TABLE ${S}._operation_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
      actor uuid, ip text, user_agent text, action text NOT NULL,
      module text, record_id uuid, details jsonb)`,
    `CREATE INDEX _operation_log_at ON ${S}._operation_log (at)`,
    `CREATE INDEX _operation_log_actor ON ${S}._operation_log (actor, at)`,
    `CREATE INDEX _operation_log_record ON ${S}._operation_log (module, record_id)`,
    `CREATE TABLE ${S}._settings (
      key text PRIMARY KEY, value jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
  ],
];

/** Arbitrary constant: the advisory lock that serializes a workspace's migrations across servers. */
const WORKSPACE_LOCK = 727_003;

/** Creates the workspace's schema and brings its system tables up to date; safe from many servers. */
export async function migrateWorkspace(db: Db, workspaceId: string, schema: string): Promise<void> {
  const S = quoteIdent(schema);
  await db.transaction(async (tx) => {
    await tx.run(sql`SELECT pg_advisory_xact_lock(${WORKSPACE_LOCK}, hashtext(${workspaceId}))`);
    await tx.run(sql.raw(`CREATE SCHEMA IF NOT EXISTS ${S}`));
    await tx.run(
      sql.raw(`CREATE TABLE IF NOT EXISTS ${S}._migrations (
        id integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`),
    );
    const rows = await tx.query<{ id: number }>(sql.raw(`SELECT id FROM ${S}._migrations`));
    const applied = new Set(rows.map((r) => Number(r.id)));
    for (const [index, migration] of WORKSPACE_MIGRATIONS.entries()) {
      const id = index + 1;
      if (applied.has(id)) continue;
      for (const statement of migration(S)) await tx.run(sql.raw(statement));
      await tx.run(sql.raw(`INSERT INTO ${S}._migrations (id) VALUES (${id})`));
    }
  });
}
