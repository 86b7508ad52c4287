import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { SYSTEM_FIELDS } from '../definitions/names.ts';
import { type PreparedStatement, prepareStatement } from '../storage/db.ts';
import { OWNER_PATH_COLUMN } from '../storage/naming.ts';
import { linkColumns, linkTargetTables } from './links.ts';

/** The columns every module table starts with (see storage/plan.ts): the system fields. */
export const SYSTEM_COLUMNS: readonly string[] = SYSTEM_FIELDS;

/** The alias lists give the module's table. */
export const LIST_ALIAS = 't';

/**
 * The statements of a module version's hot paths, rendered once. They name their columns rather
 * than `*`, so a publish that changes the columns gives new text, hence a new server-side plan.
 */
export interface ModuleStatements {
  /** Field columns in the order the insert binds them (`c0`, `c1`, …). */
  fieldColumns: string[];
  /**
   * Inserts `rows` records (all columns, nulls for empty ones), their history entries and their
   * operation log entries in one statement; row k binds `r<k>_id`, `r<k>_owner`, `r<k>_now`,
   * `r<k>_actor`, `r<k>_ip`, `r<k>_agent`, `r<k>_changes`, `r<k>_c<i>`.
   */
  insert(rows: number): PreparedStatement;
  /** A live record (not in the recycle bin) by id. */
  byId: PreparedStatement;
  byIdForUpdate: PreparedStatement;
  /** Takes the row lock of record `id`, reading nothing. */
  lockById: PreparedStatement;
  /** `t."id", t."version", …`: the columns a list selects from alias `t`. */
  listColumns: SQL;
}

const cache = new WeakMap<CompiledModule, { targets: string; statements: ModuleStatements }>();

/** The workspace tables a module's statements use besides its own. */
export interface WriteTables {
  /** The workspace's schema (join tables of many-relation fields live there). */
  schema: string;
  /** The qualified table of a published module, by id, as named now. */
  moduleTable(moduleId: string): string | undefined;
  history: SQL;
  operationLog: SQL;
  users: SQL;
  departments: SQL;
}

/** The path of the department of the user `owner` (an SQL uuid): what a record keeps for its scopes. */
export function ownerPathOf(owner: SQL, tables: WriteTables): SQL {
  return sql`(SELECT d.path FROM ${tables.users} u JOIN ${tables.departments} d ON d.id = u.department_id WHERE u.id = ${owner})`;
}

export function statementsOf(module: CompiledModule, table: SQL, logs: WriteTables): ModuleStatements {
  // the links' sub-queries name their targets' tables, which a rename of a target changes
  const targets = linkTargetTables(module, logs).join();
  let cached = cache.get(module);
  if (cached?.targets !== targets) {
    cached = { targets, statements: render(module, table, logs) };
    cache.set(module, cached);
  }
  return cached.statements;
}

function render(module: CompiledModule, table: SQL, logs: WriteTables): ModuleStatements {
  const fieldColumns = module.fields.flatMap((f) => f.columns);
  const insertColumns = [
    'id',
    'owner',
    'created_at',
    'created_by',
    'updated_at',
    'updated_by',
    OWNER_PATH_COLUMN,
    ...fieldColumns,
  ];
  const alias = sql.identifier(LIST_ALIAS);
  const listColumns = sql.join(
    [
      ...[...SYSTEM_COLUMNS, ...fieldColumns].map((c) => sql`${alias}.${sql.identifier(c)}`),
      ...linkColumns(module, LIST_ALIAS, logs),
    ],
    sql`, `,
  );
  const byId = sql`SELECT ${listColumns} FROM ${table} ${alias} WHERE ${alias}.id = ${sql.placeholder('id')} AND ${alias}.deleted_at IS NULL`;
  return {
    fieldColumns,
    insert: memoized((rows) => prepareStatement(insertStatement(module, table, logs, insertColumns, rows))),
    byId: prepareStatement(byId),
    byIdForUpdate: prepareStatement(sql`${byId} FOR UPDATE OF ${alias}`),
    lockById: prepareStatement(sql`SELECT 1 FROM ${table} WHERE id = ${sql.placeholder('id')} FOR UPDATE`),
    listColumns,
  };
}

function memoized<T>(make: (n: number) => T): (n: number) => T {
  const made = new Map<number, T>();
  return (n) => {
    let value = made.get(n);
    if (value === undefined) {
      value = make(n);
      made.set(n, value);
    }
    return value;
  };
}

function insertStatement(
  module: CompiledModule,
  table: SQL,
  logs: WriteTables,
  columns: string[],
  rows: number,
): SQL {
  const p = (k: number, name: string) => sql.placeholder(`r${k}_${name}`);
  const fieldCount = columns.length - 7;
  const values = Array.from({ length: rows }, (_, k) => {
    const row = [
      p(k, 'id'),
      sql`${p(k, 'owner')}::uuid`,
      p(k, 'now'),
      sql`${p(k, 'actor')}::uuid`,
      p(k, 'now'),
      sql`${p(k, 'actor')}::uuid`,
      ownerPathOf(sql`${p(k, 'owner')}::uuid`, logs),
      ...Array.from({ length: fieldCount }, (_, i) => p(k, `c${i}`)),
    ];
    return sql`(${sql.join(row, sql`, `)})`;
  });
  const entries = Array.from(
    { length: rows },
    (_, k) =>
      sql`(${p(k, 'id')}::uuid, ${p(k, 'actor')}::uuid, ${p(k, 'changes')}::jsonb, ${p(k, 'ip')}::text, ${p(k, 'agent')}::text)`,
  );
  const names = sql.join(
    columns.map((c) => sql.identifier(c)),
    sql`, `,
  );
  // The log rows ride in the same statement: a create stays one round trip.
  return sql`WITH v (id, actor, changes, ip, agent) AS (VALUES ${sql.join(entries, sql`, `)}),
    r AS (INSERT INTO ${table} (${names}) VALUES ${sql.join(values, sql`, `)} RETURNING id),
    h AS (INSERT INTO ${logs.history} (module_id, record_id, version, op, actor, changes)
      SELECT ${module.id}, v.id, 1, 'create', v.actor, v.changes FROM v JOIN r ON r.id = v.id)
    INSERT INTO ${logs.operationLog} (actor, ip, user_agent, action, module, record_id)
    SELECT v.actor, v.ip, v.agent, 'create', ${module.id}, v.id FROM v JOIN r ON r.id = v.id`;
}
