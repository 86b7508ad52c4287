import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError } from '../errors.ts';
import { type FieldVisibility, type QueryField, queryField } from './fields.ts';
import { column } from './filter.ts';
import { isIsoDate, isNumberLiteral, isTimestamp, UUID } from './literals.ts';

export interface SortKey {
  field: QueryField;
  descending: boolean;
}

const DEFAULT_SORT = '-created_at';
const MAX_SORT_KEYS = 5;

/** `-amount,name` → sort keys, ending with `id` so the order is total (keyset pagination needs it). */
export function parseSort(
  module: CompiledModule,
  text: string | undefined,
  visible?: FieldVisibility,
): SortKey[] {
  const parts = (text && text.trim() !== '' ? text : DEFAULT_SORT).split(',').map((p) => p.trim());
  if (parts.length > MAX_SORT_KEYS) {
    throw new EngineError('invalid-query', `sort by at most ${MAX_SORT_KEYS} fields`, [
      { pointer: '/sort', code: 'invalid-sort', message: `at most ${MAX_SORT_KEYS} fields` },
    ]);
  }
  const keys = parts.map((part, i) => {
    const descending = part.startsWith('-');
    const name = descending ? part.slice(1) : part.replace(/^\+/, '');
    const field = queryField(module, name, `/sort/${i}`, visible);
    if (!field.sortable) {
      throw new EngineError('invalid-query', `cannot sort by '${name}'`, [
        { pointer: `/sort/${i}`, code: 'invalid-sort', message: `field '${name}' cannot be sorted` },
      ]);
    }
    return { field, descending };
  });
  if (!keys.some((k) => k.field.name === 'id')) {
    keys.push({ field: queryField(module, 'id', '/sort'), descending: keys[0]?.descending ?? false });
  }
  return keys;
}

/** ORDER BY with Postgres' default null placement (nulls count as largest), so plain indexes serve it. */
export function orderBy(keys: SortKey[], alias: string): SQL {
  return sql.join(
    keys.map((k) => sql`${column(alias, k.field.column)} ${sql.raw(k.descending ? 'DESC' : 'ASC')}`),
    sql`, `,
  );
}

/** Names the sort a cursor belongs to, so a cursor is only taken by the sort that made it. */
function sortSignature(keys: SortKey[]): string {
  return keys.map((k) => `${k.descending ? '-' : ''}${k.field.name}`).join(',');
}

/** The cursor after a row: the sort it belongs to and the row's sort values, opaque to clients. */
export function encodeCursor(keys: SortKey[], row: Record<string, unknown>): string {
  const values = keys.map((k) => {
    const value = row[k.field.column];
    return value === undefined ? null : value instanceof Date ? value.toISOString() : value;
  });
  return Buffer.from(JSON.stringify({ sort: sortSignature(keys), after: values })).toString('base64url');
}

function badCursor(): never {
  throw new EngineError('invalid-query', 'invalid cursor', [
    {
      pointer: '/cursor',
      code: 'invalid-cursor',
      message: 'is not a cursor of this list (the sort may have changed)',
    },
  ]);
}

/** Whether a cursor value can stand for a value of the key's column (a tampered one could fail in SQL). */
function fitsKey(key: SortKey, value: unknown): boolean {
  const field = key.field;
  if (value === null) return !field.notNull;
  switch (field.family) {
    case 'number':
      return isNumberLiteral(value, field.integerMax !== undefined, field.integerMax);
    case 'boolean':
      return typeof value === 'boolean';
    case 'reference':
      return typeof value === 'string' && UUID.test(value);
    case 'date':
      return field.temporal === 'date' ? isIsoDate(value) : isTimestamp(value);
    default:
      // PostgreSQL text cannot hold NUL: such a value would fail in SQL
      return typeof value === 'string' && !value.includes('\u0000');
  }
}

export function decodeCursor(keys: SortKey[], cursor: string): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    badCursor();
  }
  if (typeof decoded !== 'object' || decoded === null) badCursor();
  const { sort, after } = decoded as { sort?: unknown; after?: unknown };
  if (sort !== sortSignature(keys) || !Array.isArray(after) || after.length !== keys.length) badCursor();
  if (!keys.every((key, i) => fitsKey(key, after[i]))) badCursor();
  return after;
}

/**
 * Rows strictly after the cursor in the sort order: for each key, the earlier keys equal and this
 * one after. Nulls sort as the largest value, in both directions.
 */
export function afterCursor(keys: SortKey[], values: unknown[], alias: string): SQL {
  const after = (key: SortKey, value: unknown): SQL | undefined => {
    const col = column(alias, key.field.column);
    if (value === null) return key.descending ? sql`${col} IS NOT NULL` : undefined;
    if (key.descending) return sql`${col} < ${value}`;
    return key.field.notNull ? sql`${col} > ${value}` : sql`(${col} > ${value} OR ${col} IS NULL)`;
  };
  const equal = (key: SortKey, value: unknown): SQL => {
    const col = column(alias, key.field.column);
    return value === null ? sql`${col} IS NULL` : sql`${col} = ${value}`;
  };
  const branches: SQL[] = [];
  keys.forEach((key, i) => {
    const strict = after(key, values[i]);
    if (!strict) return;
    const prefix = keys.slice(0, i).map((k, j) => equal(k, values[j]));
    branches.push(prefix.length > 0 ? sql`(${sql.join([...prefix, strict], sql` AND `)})` : strict);
  });
  if (branches.length === 0) return sql`FALSE`;
  // A range on the first key lets an index on it skip straight to the cursor.
  const first = keys[0];
  const firstValue = values[0];
  const firstCol = column(alias, first.field.column);
  const range =
    firstValue === null
      ? first.descending
        ? undefined
        : sql`${firstCol} IS NULL`
      : first.descending
        ? sql`${firstCol} <= ${firstValue}`
        : first.field.notNull
          ? sql`${firstCol} >= ${firstValue}`
          : undefined;
  const any = sql`(${sql.join(branches, sql` OR `)})`;
  return range ? sql`${range} AND ${any}` : any;
}
