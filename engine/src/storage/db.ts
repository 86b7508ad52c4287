import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** drizzle's query builder, for the engine's own (statically known) tables. */
export type QueryBuilder = PgDatabase<PgQueryResultHKT>;

export type Row = Record<string, unknown>;

const dialect = new PgDialect();

/**
 * A statement rendered once from drizzle's `sql` (values as `sql.placeholder(name)`) and run many times
 * as a server-side prepared statement. Only for text that repeats: the hot paths of a module version.
 */
export interface PreparedStatement {
  readonly text: string;
  readonly params: unknown[];
}

export function prepareStatement(statement: SQL): PreparedStatement {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return { text, params };
}

export function bindStatement(statement: PreparedStatement, values: Record<string, unknown>): unknown[] {
  return fillPlaceholders(statement.params, values);
}

/**
 * The engine's view of a database: drizzle underneath, for PGlite and PostgreSQL alike.
 * Records live in tables the engine creates at run time, so most statements are built with
 * drizzle's `sql` template (identifiers through `sql.identifier`, values as parameters).
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  readonly drizzle: QueryBuilder;
  /** Rows of a statement. */
  query<T = Row>(statement: SQL): Promise<T[]>;
  /** Rows of a prepared statement with its placeholders filled from `values`. */
  execute<T = Row>(statement: PreparedStatement, values: Record<string, unknown>): Promise<T[]>;
  /** Runs a statement for its effect; returns the number of rows it touched. */
  run(statement: SQL): Promise<number>;
  /** Runs `work` in one transaction; nested calls join the outer one. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  readonly inTransaction: boolean;
  /** Calls `onMessage` for each NOTIFY on `channel` (from any connection or server); returns the unsubscribe. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A database error with Postgres' SQLSTATE and, where one was involved, the constraint. */
export interface DbErrorInfo {
  code: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

export function dbErrorInfo(error: unknown): DbErrorInfo | undefined {
  // drizzle wraps driver errors ("Failed query: …") and keeps the original as `cause`
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      return {
        code: e.code,
        constraint: (e.constraint_name ?? e.constraint) as string | undefined,
        table: (e.table_name ?? e.table) as string | undefined,
        column: (e.column_name ?? e.column) as string | undefined,
        detail: e.detail as string | undefined,
      };
    }
    e = e.cause as Record<string, unknown> | undefined;
  }
  return undefined;
}

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  restrictViolation: '23001',
  notNullViolation: '23502',
  checkViolation: '23514',
  lockNotAvailable: '55P03',
  serializationFailure: '40001',
  deadlock: '40P01',
  undefinedColumn: '42703',
  undefinedTable: '42P01',
} as const;
