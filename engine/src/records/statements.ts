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
  /** Inserts a record (all columns, nulls for empty ones) and its history entry, in one statement. */
  insert: PreparedStatement;
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
  const insertValues = [
    sql.placeholder('id'),
    sql`${sql.placeholder('owner')}::uuid`,
    sql.placeholder('now'),
    sql`${sql.placeholder('actor')}::uuid`,
    sql.placeholder('now'),
    sql`${sql.placeholder('actor')}::uuid`,
    ...fieldColumns.map((_, i) => sql.placeholder(`c${i}`)),
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
    insert: prepareStatement(
      sql`WITH r AS (
            INSERT INTO ${table} (${identifiers(insertColumns)}) VALUES (${sql.join(insertValues, sql`, `)})
            RETURNING id)
          INSERT INTO ${history} (module_id, record_id, version, op, actor, changes)
          SELECT ${module.id}, r.id, 1, 'create', ${sql.placeholder('actor')}::uuid, ${sql.placeholder('changes')}::jsonb
          FROM r`,
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
