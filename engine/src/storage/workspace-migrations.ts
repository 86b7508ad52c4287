import { sql } from 'drizzle-orm';
import { searchFunctionSql } from '../search/sql-function.ts';
import type { Db } from './db.ts';
import { HISTORY_TABLE, quoteIdent } from './naming.ts';

/**
 * The tables every workspace schema has besides its modules' tables, as numbered migrations:
 * append, never edit. `S` stands for the workspace's quoted schema name. System tables start with
 * `_`, which no module name can, so they never clash with a module.
 */
/** `text` escaped to stand inside a SQL string literal (the quotes around it are the caller's). */
const inLiteral = (text: string) => text.replace(/'/g, "''");

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
  // 3: access control: the operation log is append-only, module tables have an owner index, shares
  // are found by principal
  (S) => {
    const schemaName = inLiteral(S);
    return [
      `CREATE INDEX _shares_principal_id ON ${S}._shares (principal_id, module_id)`,
      `CREATE FUNCTION ${S}._append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the operation log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`,
      `CREATE TRIGGER _operation_log_append_only BEFORE UPDATE OR DELETE ON ${S}._operation_log
      FOR EACH ROW EXECUTE FUNCTION ${S}._append_only()`,
      `CREATE TRIGGER _operation_log_no_truncate BEFORE TRUNCATE ON ${S}._operation_log
      FOR EACH STATEMENT EXECUTE FUNCTION ${S}._append_only()`,
      // Records keep the path of their owner's department (owner__path), so department scopes are a
      // condition on the row. It follows the organisation: a user changing department, a department
      // moving (its path rewritten) update the records of the users concerned, in the same transaction.
      `CREATE FUNCTION ${S}._repath_records(owners uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE t record;
      BEGIN
        FOR t IN SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = '${schemaName}'::regnamespace AND c.relkind = 'r'
              AND a.attname = 'owner__path' AND NOT a.attisdropped LOOP
          EXECUTE format('UPDATE %s.%I r SET owner__path = d.path FROM ${schemaName}._users u
              LEFT JOIN ${schemaName}._departments d ON d.id = u.department_id
            WHERE u.id = r.owner AND r.owner = ANY($1) AND r.owner__path IS DISTINCT FROM d.path',
            '${schemaName}', t.relname) USING owners;
        END LOOP;
      END $$`,
      // statement triggers with transition tables: a bulk insert or a subtree move repaths once
      `CREATE FUNCTION ${S}._repath_new_users() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM ${S}._repath_records(ARRAY(SELECT id FROM new_rows)); RETURN NULL; END $$`,
      `CREATE FUNCTION ${S}._repath_moved_users() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE moved uuid[] := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.department_id IS DISTINCT FROM n.department_id);
      BEGIN
        IF cardinality(moved) > 0 THEN PERFORM ${S}._repath_records(moved); END IF;
        RETURN NULL;
      END $$`,
      `CREATE FUNCTION ${S}._repath_moved_departments() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE moved uuid[] := ARRAY(SELECT u.id FROM ${S}._users u JOIN new_rows n ON n.id = u.department_id
        JOIN old_rows o ON o.id = n.id WHERE o.path IS DISTINCT FROM n.path);
      BEGIN
        IF cardinality(moved) > 0 THEN PERFORM ${S}._repath_records(moved); END IF;
        RETURN NULL;
      END $$`,
      `CREATE TRIGGER _users_repath_new AFTER INSERT ON ${S}._users REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${S}._repath_new_users()`,
      `CREATE TRIGGER _users_repath AFTER UPDATE ON ${S}._users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${S}._repath_moved_users()`,
      `CREATE TRIGGER _departments_repath AFTER UPDATE ON ${S}._departments
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${S}._repath_moved_departments()`,
      // tables published before this migration (new ones are created with both, see plan.ts)
      `DO $$ DECLARE m record; BEGIN
      FOR m IN SELECT mo.id, mo.name FROM crm_meta.modules mo JOIN crm_meta.workspaces w ON w.id = mo.workspace_id
        WHERE quote_ident(w.schema_name) = '${schemaName}' AND mo.published_version IS NOT NULL
          AND to_regclass(format('%s.%I', '${schemaName}', mo.name)) IS NOT NULL LOOP
        EXECUTE format('ALTER TABLE %s.%I ADD COLUMN IF NOT EXISTS owner__path text', '${schemaName}', m.name);
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s.%I (owner, created_at, id)',
          left('ix_' || m.id || '_owner', 63), '${schemaName}', m.name);
      END LOOP;
      PERFORM ${S}._repath_records(ARRAY(SELECT id FROM ${S}._users));
    END $$`,
    ];
  },
  // 4: soft delete. Tables published before it get the recycle-bin columns, and their unique
  // indexes become unique among live records (new tables are created so, see plan.ts). It also does
  // what migration 3 meant to do for older tables, whose schema-name match missed (quote_ident
  // leaves plain names unquoted).
  (S) => {
    const schemaName = inLiteral(S);
    // the schema's name as stored (S is quoted, which quote_ident leaves off plain names)
    const storedName = inLiteral(S.slice(1, -1).replace(/""/g, '"'));
    return [
      `ALTER TABLE ${S}.${HISTORY_TABLE} ADD COLUMN reverted_to integer`,
      `DO $$ DECLARE m record; i record; BEGIN
        FOR m IN SELECT mo.id, mo.name FROM crm_meta.modules mo JOIN crm_meta.workspaces w ON w.id = mo.workspace_id
          WHERE w.schema_name = '${storedName}' AND mo.published_version IS NOT NULL
            AND to_regclass(format('%s.%I', '${schemaName}', mo.name)) IS NOT NULL LOOP
          EXECUTE format('ALTER TABLE %s.%I ADD COLUMN IF NOT EXISTS deleted_at timestamptz,
            ADD COLUMN IF NOT EXISTS deleted_by uuid, ADD COLUMN IF NOT EXISTS owner__path text', '${schemaName}', m.name);
          EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s.%I (owner, created_at, id)',
            left('ix_' || m.id || '_owner', 63), '${schemaName}', m.name);
        END LOOP;
        PERFORM ${S}._repath_records(ARRAY(SELECT id FROM ${S}._users));
        FOR i IN SELECT c.relname, pg_get_indexdef(c.oid) AS def FROM pg_class c JOIN pg_index x ON x.indexrelid = c.oid
          WHERE c.relnamespace = '${schemaName}'::regnamespace AND c.relname LIKE 'uq_%' AND x.indpred IS NULL LOOP
          EXECUTE format('DROP INDEX %s.%I', '${schemaName}', i.relname);
          EXECUTE i.def || ' WHERE deleted_at IS NULL';
        END LOOP;
      END $$`,
    ];
  },
  // 5: autonumber counters, one row per (module, field, period); see autonumber/counters.ts
  (S) => [
    `CREATE TABLE ${S}._autonumber_counters (
      module_id text NOT NULL, field_id text NOT NULL, period text NOT NULL, value bigint NOT NULL,
      PRIMARY KEY (module_id, field_id, period))`,
  ],
  // 6: uploaded files (see files/): their metadata, their bytes when kept in the database, and the
  // release of a record's files when the record is purged
  (S) => [
    `CREATE TABLE ${S}._files (
      id uuid PRIMARY KEY, name text NOT NULL, size bigint NOT NULL DEFAULT 0, type text NOT NULL,
      sha256 text, storage text NOT NULL CHECK (storage IN ('database', 'folder')),
      module_id text NOT NULL, field_id text NOT NULL, uploaded_by uuid NOT NULL,
      uploaded_at timestamptz NOT NULL, complete boolean NOT NULL DEFAULT false,
      record_id uuid, attached_at timestamptz, released_at timestamptz, last_record_id uuid)`,
    `CREATE INDEX _files_record ON ${S}._files (module_id, record_id)`,
    `CREATE INDEX _files_unattached ON ${S}._files (coalesce(released_at, uploaded_at)) WHERE record_id IS NULL`,
    `CREATE TABLE ${S}._file_chunks (
      file_id uuid NOT NULL REFERENCES ${S}._files (id) ON DELETE CASCADE, n integer NOT NULL,
      data bytea NOT NULL, PRIMARY KEY (file_id, n))`,
    // statement trigger on module tables with file fields (see files/release-trigger.ts): argument 0 is the module id
    `CREATE FUNCTION ${S}._release_files() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ${S}._files SET record_id = NULL, released_at = now(), last_record_id = record_id
          WHERE module_id = TG_ARGV[0] AND record_id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END $$`,
  ],
  // 7: workflows. Definitions are immutable versions; an instance is pinned to its version. Tokens
  // (with scope tokens for subprocesses and multi-instance bodies), user tasks, jobs (timers and
  // service tasks, claimed with SKIP LOCKED), message subscriptions, incidents and history.
  (S) => [
    `CREATE TABLE ${S}._wf_definitions (
      process_id text NOT NULL, version integer NOT NULL, name text, xml text NOT NULL,
      deployed_at timestamptz NOT NULL, deployed_by uuid,
      PRIMARY KEY (process_id, version))`,
    `CREATE TABLE ${S}._wf_instances (
      id uuid PRIMARY KEY, process_id text NOT NULL, version integer NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'completed', 'terminated', 'cancelled')),
      variables jsonb NOT NULL, business_key text,
      parent_instance_id uuid, parent_token_id uuid,
      started_at timestamptz NOT NULL, started_by uuid, ended_at timestamptz,
      FOREIGN KEY (process_id, version) REFERENCES ${S}._wf_definitions (process_id, version))`,
    `CREATE INDEX _wf_instances_process ON ${S}._wf_instances (process_id, state, started_at)`,
    `CREATE INDEX _wf_instances_active ON ${S}._wf_instances (started_at) WHERE state = 'active'`,
    `CREATE INDEX _wf_instances_business_key ON ${S}._wf_instances (business_key) WHERE business_key IS NOT NULL`,
    `CREATE INDEX _wf_instances_parent ON ${S}._wf_instances (parent_instance_id) WHERE parent_instance_id IS NOT NULL`,
    `CREATE TABLE ${S}._wf_tokens (
      id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      parent_id uuid, element_id text NOT NULL, state text NOT NULL,
      variables jsonb, data jsonb NOT NULL, created_at timestamptz NOT NULL)`,
    `CREATE INDEX _wf_tokens_instance ON ${S}._wf_tokens (instance_id)`,
    `CREATE TABLE ${S}._wf_tasks (
      id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      token_id uuid NOT NULL, process_id text NOT NULL, version integer NOT NULL, element_id text NOT NULL,
      name text, assignee text, candidate_users text[] NOT NULL, candidate_groups text[] NOT NULL,
      state text NOT NULL CHECK (state IN ('open', 'completed', 'cancelled')),
      variables jsonb, result jsonb, created_at timestamptz NOT NULL,
      completed_at timestamptz, completed_by uuid)`,
    `CREATE INDEX _wf_tasks_instance ON ${S}._wf_tasks (instance_id)`,
    `CREATE INDEX _wf_tasks_token ON ${S}._wf_tasks (token_id) WHERE state = 'open'`,
    `CREATE INDEX _wf_tasks_assignee ON ${S}._wf_tasks (assignee, created_at) WHERE state = 'open'`,
    `CREATE INDEX _wf_tasks_candidates ON ${S}._wf_tasks USING gin (candidate_users) WHERE state = 'open'`,
    `CREATE TABLE ${S}._wf_jobs (
      id uuid PRIMARY KEY, instance_id uuid, token_id uuid, element_id text,
      process_id text NOT NULL, version integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('timer', 'service', 'start-timer', 'call-done')),
      due_at timestamptz, attempts integer NOT NULL, retries integer NOT NULL,
      locked_until timestamptz, locked_by text, last_error text, payload jsonb,
      created_at timestamptz NOT NULL)`,
    `CREATE INDEX _wf_jobs_due ON ${S}._wf_jobs (due_at) WHERE due_at IS NOT NULL`,
    `CREATE INDEX _wf_jobs_token ON ${S}._wf_jobs (token_id)`,
    `CREATE INDEX _wf_jobs_instance ON ${S}._wf_jobs (instance_id)`,
    `CREATE TABLE ${S}._wf_subscriptions (
      id uuid PRIMARY KEY, instance_id uuid, token_id uuid, element_id text NOT NULL,
      process_id text NOT NULL, version integer NOT NULL,
      message_name text NOT NULL, correlation_key text, created_at timestamptz NOT NULL)`,
    `CREATE INDEX _wf_subscriptions_message ON ${S}._wf_subscriptions (message_name, correlation_key)`,
    `CREATE INDEX _wf_subscriptions_token ON ${S}._wf_subscriptions (token_id)`,
    `CREATE TABLE ${S}._wf_incidents (
      id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      token_id uuid, job_id uuid, element_id text, kind text NOT NULL, message text NOT NULL,
      created_at timestamptz NOT NULL, resolved_at timestamptz, resolved_by uuid)`,
    `CREATE INDEX _wf_incidents_open ON ${S}._wf_incidents (created_at) WHERE resolved_at IS NULL`,
    `CREATE INDEX _wf_incidents_instance ON ${S}._wf_incidents (instance_id)`,
    `CREATE TABLE ${S}._wf_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      at timestamptz NOT NULL, element_id text, event text NOT NULL, actor uuid, data jsonb)`,
    `CREATE INDEX _wf_history_instance ON ${S}._wf_history (instance_id, id)`,
  ],
  // 8: keyword search: the function that fills module tables' search columns (see search/)
  (S) => [searchFunctionSql(S)],
  // 9: the record a workflow instance is about (crm:record), and in-app notifications
  (S) => [
    `ALTER TABLE ${S}._wf_instances ADD COLUMN module text, ADD COLUMN record_id uuid`,
    `CREATE INDEX _wf_instances_record ON ${S}._wf_instances (record_id, started_at) WHERE record_id IS NOT NULL`,
    `CREATE TABLE ${S}._notifications (
      id uuid PRIMARY KEY, recipient uuid NOT NULL REFERENCES ${S}._users (id) ON DELETE CASCADE,
      kind text NOT NULL, title jsonb NOT NULL, body jsonb, link jsonb,
      created_at timestamptz NOT NULL, read_at timestamptz)`,
    `CREATE INDEX _notifications_recipient ON ${S}._notifications (recipient, id DESC)`,
    `CREATE INDEX _notifications_unread ON ${S}._notifications (recipient) WHERE read_at IS NULL`,
  ],
  // 10: each user's saved list views (filter, keyword, sort, columns) per module
  (S) => [
    `CREATE TABLE ${S}._saved_views (
      id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES ${S}._users (id) ON DELETE CASCADE,
      module_id text NOT NULL, name text NOT NULL, settings jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE UNIQUE INDEX _saved_views_name ON ${S}._saved_views (user_id, module_id, lower(name))`,
  ],
  // 11: approvals (workflow/approvals/): one row per approval step an instance passes (its approvers and
  // their states), every action on it (votes included), who was CC'd, and the records flows lock
  (S) => [
    `CREATE TABLE ${S}._wf_approval_steps (
      id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      token_id uuid NOT NULL, element_id text NOT NULL, name text,
      mode text NOT NULL CHECK (mode IN ('single', 'any', 'all', 'sequence', 'ratio', 'resubmit')),
      ratio double precision NOT NULL,
      state text NOT NULL CHECK (state IN ('open', 'approved', 'rejected', 'returned', 'recalled', 'cancelled')),
      slots jsonb NOT NULL, submitter uuid, created_at timestamptz NOT NULL, ended_at timestamptz)`,
    `CREATE INDEX _wf_approval_steps_instance ON ${S}._wf_approval_steps (instance_id, created_at)`,
    `CREATE INDEX _wf_approval_steps_token ON ${S}._wf_approval_steps (token_id) WHERE state = 'open'`,
    `CREATE TABLE ${S}._wf_approval_actions (
      id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      step_id uuid, task_id uuid, action text NOT NULL, actor uuid, automatic boolean NOT NULL,
      comment text, attachments jsonb NOT NULL, data jsonb, at timestamptz NOT NULL)`,
    `CREATE INDEX _wf_approval_actions_instance ON ${S}._wf_approval_actions (instance_id, id)`,
    `CREATE INDEX _wf_approval_actions_actor ON ${S}._wf_approval_actions (actor, id) WHERE NOT automatic`,
    `CREATE INDEX _wf_approval_actions_files ON ${S}._wf_approval_actions USING gin (attachments jsonb_path_ops)`,
    `CREATE TABLE ${S}._wf_approval_cc (
      id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      user_id uuid NOT NULL, step_id uuid, by uuid, at timestamptz NOT NULL, UNIQUE (instance_id, user_id))`,
    `CREATE INDEX _wf_approval_cc_user ON ${S}._wf_approval_cc (user_id, id)`,
    `CREATE TABLE ${S}._wf_record_locks (
      instance_id uuid PRIMARY KEY REFERENCES ${S}._wf_instances (id) ON DELETE CASCADE,
      module_id text NOT NULL, record_id uuid NOT NULL, process_name text, since timestamptz NOT NULL)`,
    `CREATE INDEX _wf_record_locks_record ON ${S}._wf_record_locks (module_id, record_id)`,
  ],
  // 12: count and sum rollups over no rows are 0, not empty (see fields/rollup.ts emptyRollupValue):
  // records whose stored value is still empty get it
  (S) => {
    const schemaName = inLiteral(S);
    const storedName = inLiteral(S.slice(1, -1).replace(/""/g, '"'));
    return [
      `DO $$ DECLARE f record; BEGIN
        FOR f IN SELECT mo.name AS module, fd->>'name' AS field FROM crm_meta.modules mo
          JOIN crm_meta.workspaces w ON w.id = mo.workspace_id
          JOIN crm_meta.module_versions v ON v.workspace_id = mo.workspace_id AND v.module_id = mo.id
            AND v.version = mo.published_version
          CROSS JOIN LATERAL jsonb_array_elements(v.definition->'fields') fd
          WHERE w.schema_name = '${storedName}' AND fd->>'type' = 'rollup' AND fd->>'aggregate' IN ('count', 'sum')
            AND to_regclass(format('%s.%I', '${schemaName}', mo.name)) IS NOT NULL LOOP
          EXECUTE format('UPDATE %s.%I SET %I = 0 WHERE %I IS NULL', '${schemaName}', f.module, f.field, f.field);
        END LOOP;
      END $$`,
    ];
  },
  // 13: the day (and module version) as of which a module's formulas reading today()/now() were last
  // stored for all its records (see records/clock-formulas.ts)
  (S) => [
    `CREATE TABLE ${S}._clock_formulas (
      module_id text PRIMARY KEY, day text NOT NULL, version integer NOT NULL, refreshed_at timestamptz NOT NULL)`,
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
