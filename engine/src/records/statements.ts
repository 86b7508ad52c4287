import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { SYSTEM_FIELDS } from '../definitions/names.ts';
import { type PreparedStatement, prepareStatement } from '../storage/db.ts';

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
   * Inserts `rows` records (all columns, nulls for empty ones) and their history entries in one
   * statement; row k binds `r<k>_id`, `r<k>_owner`, `r<k>_now`, `r<k>_actor`, `r<k>_changes`, `r<k>_c<i>`.
   */
  insert(rows: number): PreparedStatement;
  byId: PreparedStatement;
  byIdForUpdate: PreparedStatement;
  /** `t."id", t."version", …`: the columns a list selects from alias `t`. */
  listColumns: SQL;
}

const cache = new WeakMap<CompiledModule, ModuleStatements>();

export function statementsOf(module: CompiledModule, table: SQL, history: SQL): ModuleStatements {
  let statements = cache.get(module);
  if (!statements) {
    statements = render(module, table, history);
    cache.set(module, statements);
  }
  return statements;
}

function render(module: CompiledModule, table: SQL, history: SQL): ModuleStatements {
  const fieldColumns = module.fields.flatMap((f) => f.columns);
  const insertColumns = [
    'id',
    'owner',
    'created_at',
    'created_by',
    'updated_at',
    'updated_by',
    ...fieldColumns,
  ];
  const identifiers = (names: string[]) =>
    sql.join(
      names.map((n) => sql.identifier(n)),
      sql`, `,
    );
  const selectColumns = identifiers([...SYSTEM_COLUMNS, ...fieldColumns]);
  const byId = sql`SELECT ${selectColumns} FROM ${table} WHERE id = ${sql.placeholder('id')}`;
  return {
    fieldColumns,
    insert: memoized((rows) =>
      prepareStatement(insertStatement(module, table, history, insertColumns, rows)),
    ),
    byId: prepareStatement(byId),
    byIdForUpdate: prepareStatement(sql`${byId} FOR UPDATE`),
    listColumns: sql.join(
      [...SYSTEM_COLUMNS, ...fieldColumns].map(
        (c) => sql`${sql.identifier(LIST_ALIAS)}.${sql.identifier(c)}`,
      ),
      sql`, `,
    ),
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
  history: SQL,
  columns: string[],
  rows: number,
): SQL {
  const p = (k: number, name: string) => sql.placeholder(`r${k}_${name}`);
  const fieldCount = columns.length - 6;
  const values = Array.from({ length: rows }, (_, k) => {
    const row = [
      p(k, 'id'),
      sql`${p(k, 'owner')}::uuid`,
      p(k, 'now'),
      sql`${p(k, 'actor')}::uuid`,
      p(k, 'now'),
      sql`${p(k, 'actor')}::uuid`,
      ...Array.from({ length: fieldCount }, (_, i) => p(k, `c${i}`)),
    ];
    return sql`(${sql.join(row, sql`, `)})`;
  });
  const entries = Array.from(
    { length: rows },
    (_, k) => sql`(${p(k, 'id')}::uuid, ${p(k, 'actor')}::uuid, ${p(k, 'changes')}::jsonb)`,
  );
  const names = sql.join(
    columns.map((c) => sql.identifier(c)),
    sql`, `,
  );
  return sql`WITH r AS (INSERT INTO ${table} (${names}) VALUES ${sql.join(values, sql`, `)} RETURNING id)
    INSERT INTO ${history} (module_id, record_id, version, op, actor, changes)
    SELECT ${module.id}, v.id, 1, 'create', v.actor, v.changes
    FROM (VALUES ${sql.join(entries, sql`, `)}) AS v (id, actor, changes) JOIN r ON r.id = v.id`;
}
