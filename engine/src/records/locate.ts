import { type SQL, sql } from 'drizzle-orm';
import type { Policy } from '../access/policy.ts';
import { type AccessTables, accessPredicate } from '../access/predicate.ts';
import type { Operation } from '../access/rights.ts';
import type { CompiledModule } from '../compile/module.ts';
import { type Db, prepareStatement, type Row } from '../storage/db.ts';
import { LIST_ALIAS, statementsOf, type WriteTables } from './statements.ts';

/** A record as an actor sees it, with what they may do to it. */
export interface LocatedRecord {
  row: Row;
  /** Per operation asked about: whether the actor may do it to this record. */
  allowed: Partial<Record<Operation, boolean>>;
}

export interface RecordTables extends WriteTables {
  table: SQL;
  access: AccessTables;
}

const ALIAS = LIST_ALIAS;

/**
 * Reads record `id` if the policy lets the actor see it (undefined otherwise: to them it does not
 * exist) in one statement that also tells whether they may do each of `operations` to it.
 * `lock` takes the row lock (inside a transaction). Records in the recycle bin are found only with
 * `inBin`, and then only they are.
 */
export async function locateRecord(
  db: Db,
  module: CompiledModule,
  id: string,
  policy: Policy,
  tables: RecordTables,
  operations: Operation[] = [],
  lock = false,
  inBin = false,
): Promise<LocatedRecord | undefined> {
  const statements = statementsOf(module, tables.table, tables);
  if (lock && module.fields.some((f) => f.linkTable)) {
    // Under READ COMMITTED a locking read returns the row as the writer before us left it, but
    // sub-queries of the same statement (the links) see the snapshot from before its commit: take
    // the lock first, so the statement reading the record starts after that writer committed.
    await db.execute(statements.lockById, { id });
  }
  if (policy.unrestricted && !inBin) {
    const [row] = await db.execute(lock ? statements.byIdForUpdate : statements.byId, { id });
    return row ? { row, allowed: Object.fromEntries(operations.map((op) => [op, true])) } : undefined;
  }
  const predicate = (op: Operation) => accessPredicate(policy, module.id, op, ALIAS, tables.access);
  // the bin shows each actor what they could delete, so only they can restore it
  const visible = predicate(inBin ? 'delete' : 'read');
  const flags = operations.map(
    (op, i) => sql`, (${predicate(op) ?? sql`TRUE`}) AS ${sql.identifier(`__may${i}`)}`,
  );
  // Prepared: for a given kind of policy the text repeats, only the values differ.
  const [row] = await db.execute(
    prepareStatement(
      sql`SELECT ${statements.listColumns}${sql.join(flags, sql``)}
          FROM ${tables.table} ${sql.identifier(ALIAS)}
          WHERE ${sql.identifier(ALIAS)}.id = ${id} AND ${liveness(inBin)}${visible ? sql` AND ${visible}` : sql``}
          ${lock ? sql`FOR UPDATE OF ${sql.identifier(ALIAS)}` : sql``}`,
    ),
    {},
  );
  if (!row) return undefined;
  return {
    row,
    allowed: Object.fromEntries(operations.map((op, i) => [op, row[`__may${i}`] === true])),
  };
}

/** The condition on alias `t` that keeps live records, or with `inBin` those in the recycle bin. */
export function liveness(inBin = false, alias = ALIAS): SQL {
  return inBin
    ? sql`${sql.identifier(alias)}.deleted_at IS NOT NULL`
    : sql`${sql.identifier(alias)}.deleted_at IS NULL`;
}
