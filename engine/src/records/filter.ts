import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import type { FilterFamily } from '../fields/registry.ts';
import { type FieldVisibility, type QueryField, queryField } from './fields.ts';
import { fail } from './filter-error.ts';
import { LINK_OPERATORS, LINKED_ALIAS, linkCondition, linkStep } from './link-filter.ts';
import type { LinkList } from './links.ts';
import { isIsoDate, isNumberLiteral, isTimestamp, UUID } from './literals.ts';

/**
 * The filter language: conditions `{ field, op, value }` combined with `{ and: [...] }`,
 * `{ or: [...] }` and `{ not: ... }`; a field may be one step through a relation
 * (`customer.industry`).
 */
export type Filter =
  | { and: Filter[] }
  | { or: Filter[] }
  | { not: Filter }
  | { field: string; op: string; value?: unknown };

export const OPERATORS: Record<FilterFamily, readonly string[]> = {
  text: ['eq', 'ne', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'endsWith', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'nin', 'empty', 'notEmpty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'notEmpty'],
  boolean: ['eq', 'ne', 'empty', 'notEmpty'],
  choice: ['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty'],
  multi: ['hasAny', 'hasAll', 'hasNone', 'empty', 'notEmpty'],
  reference: ['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty'],
  links: LINK_OPERATORS,
};

const LIMITS = { conditions: 100, depth: 6, list: 1000, text: 1000 };
/** Operators that hold for an empty value: through an empty relation, the related field is empty. */
const MATCH_EMPTY = new Set(['ne', 'nin', 'notContains', 'hasNone', 'empty']);

export interface FilterContext {
  module: CompiledModule;
  /** Table alias of `module` in the query. */
  alias: string;
  /** SQL of a module's table, for sub-queries through relations. */
  tableOf(moduleId: string): { module: CompiledModule; table: SQL } | undefined;
  /** The fields the actor may read (all when absent): others are unknown fields here. */
  visible?: FieldVisibility;
  /** The records of a related module the actor may read, as a condition on `alias` (all when undefined). */
  readable?(module: CompiledModule, alias: string): SQL | undefined;
  /** The many-relation list `name` on a module's records (a field or an inverse list), if any. */
  linkList?(module: CompiledModule, name: string): LinkList | undefined;
}

/** The many-relation list `name` of the context's module, if the actor may read its field. */
function linkListOf(ctx: FilterContext, name: string): LinkList | undefined {
  const list = ctx.linkList?.(ctx.module, name);
  if (!list || (ctx.visible && !ctx.visible(list.source, list.field.name))) return undefined;
  return list;
}

/** Compiles a filter into a SQL condition; every value becomes a parameter. */
export function compileFilter(filter: unknown, context: FilterContext, pointer = '/filter'): SQL {
  let conditions = 0;
  let aliases = 0;
  const visit = (node: unknown, at: string, depth: number, ctx: FilterContext): SQL => {
    if (depth > LIMITS.depth) fail(at, `nested deeper than ${LIMITS.depth} levels`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) fail(at, 'must be an object');
    const keys = Object.keys(node);
    const record = node as Record<string, unknown>;
    if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
      const list = record[keys[0]];
      if (!Array.isArray(list) || list.length === 0) fail(`${at}/${keys[0]}`, 'must be a non-empty array');
      const parts = list.map((child, i) => visit(child, `${at}/${keys[0]}/${i}`, depth + 1, ctx));
      return sql`(${sql.join(parts, sql.raw(keys[0] === 'and' ? ' AND ' : ' OR '))})`;
    }
    // IS NOT TRUE, not NOT: a condition on an empty value is false (never SQL's unknown), so `not`
    // gives exactly the records its condition leaves out
    if (keys.length === 1 && keys[0] === 'not')
      return sql`(${visit(record.not, `${at}/not`, depth + 1, ctx)}) IS NOT TRUE`;
    const unknown = keys.filter((k) => k !== 'field' && k !== 'op' && k !== 'value');
    if (unknown.length > 0) fail(`${at}/${unknown[0]}`, `unknown key '${unknown[0]}'`);
    if (typeof record.field !== 'string') fail(`${at}/field`, 'must name a field');
    if (typeof record.op !== 'string') fail(`${at}/op`, 'must name an operator');
    if (++conditions > LIMITS.conditions) fail(at, `more than ${LIMITS.conditions} conditions`);

    const path = record.field.split('.');
    if (path.length > 2) fail(`${at}/field`, 'can go at most one step through a relation');
    const list = linkListOf(ctx, path[0]);
    if (path.length === 2) {
      const targetId = list?.other.id ?? queryField(ctx.module, path[0], `${at}/field`, ctx.visible).target;
      if (!targetId) fail(`${at}/field`, `'${path[0]}' is not a relation`);
      const target = ctx.tableOf(targetId);
      if (!target) fail(`${at}/field`, `the module '${path[0]}' points to is not published`);
      const alias = `r${++aliases}`;
      const inner = visit({ field: path[1], op: record.op, value: record.value }, at, depth + 1, {
        ...ctx,
        module: target.module,
        alias,
      });
      const scope = ctx.readable?.(target.module, alias);
      // a related record in the recycle bin counts as no related record
      const live = sql`${sql.identifier(alias)}.deleted_at IS NULL`;
      const where = scope ? sql`${inner} AND ${live} AND ${scope}` : sql`${inner} AND ${live}`;
      if (list) return linkStep(list, ctx.alias, target.table, alias, where, MATCH_EMPTY.has(record.op));
      const via = column(ctx.alias, queryField(ctx.module, path[0], `${at}/field`, ctx.visible).column);
      const related = sql`${via} IN (SELECT ${sql.identifier(alias)}.id FROM ${target.table} ${sql.identifier(alias)} WHERE ${where})`;
      return MATCH_EMPTY.has(record.op) ? sql`(${related} OR ${via} IS NULL)` : related;
    }
    if (list) {
      // the ids a record holds count whoever may read them (as a relation's id does); the records
      // linking to it, an inverse list, only when the actor may read them (as in its related list)
      const scope = list.forward ? undefined : ctx.readable?.(list.other, LINKED_ALIAS);
      return linkCondition(list, record.op, record.value, ctx.alias, at, scope);
    }
    const field = queryField(ctx.module, path[0], `${at}/field`, ctx.visible);
    return condition(field, record.op, record.value, ctx.alias, at);
  };
  return visit(filter, pointer, 0, context);
}

export function column(alias: string, name: string): SQL {
  return sql`${sql.identifier(alias)}.${sql.identifier(name)}`;
}

function condition(field: QueryField, op: string, value: unknown, alias: string, at: string): SQL {
  const allowed = OPERATORS[field.family];
  if (!allowed.includes(op)) {
    fail(`${at}/op`, `operator '${op}' does not apply to field '${field.name}' (use ${allowed.join(', ')})`);
  }
  const col = column(alias, field.column);
  const one = () => checkValue(field, value, `${at}/value`);
  const list = () => {
    if (!Array.isArray(value) || value.length === 0 || value.length > LIMITS.list) {
      fail(`${at}/value`, `must be a non-empty array of at most ${LIMITS.list} values`);
    }
    return value.map((v, i) => checkValue(field, v, `${at}/value/${i}`));
  };
  // on a date-time field, a day (YYYY-MM-DD) stands for all of that day, in UTC
  const day = (v: unknown) =>
    field.temporal === 'datetime' && isIsoDate(v)
      ? { start: `${v}T00:00:00Z`, end: `${nextDay(v)}T00:00:00Z` }
      : undefined;
  const like = (pattern: (s: string) => string) => {
    const text = one() as string;
    return pattern(text.replace(/[\\%_]/g, (c) => `\\${c}`));
  };
  switch (op) {
    case 'eq': {
      const v = one();
      const d = day(v);
      return d ? sql`(${col} >= ${d.start} AND ${col} < ${d.end})` : sql`${col} = ${v}`;
    }
    case 'ne': {
      const v = one();
      const d = day(v);
      return d
        ? sql`(${col} < ${d.start} OR ${col} >= ${d.end} OR ${col} IS NULL)`
        : sql`(${col} <> ${v} OR ${col} IS NULL)`;
    }
    case 'gt': {
      const v = one();
      const d = day(v);
      return d ? sql`${col} >= ${d.end}` : sql`${col} > ${v}`;
    }
    case 'gte': {
      const v = one();
      return sql`${col} >= ${day(v)?.start ?? v}`;
    }
    case 'lt': {
      const v = one();
      return sql`${col} < ${day(v)?.start ?? v}`;
    }
    case 'lte': {
      const v = one();
      const d = day(v);
      return d ? sql`${col} < ${d.end}` : sql`${col} <= ${v}`;
    }
    case 'between': {
      const bounds = list();
      if (bounds.length !== 2) fail(`${at}/value`, 'must be [from, to]');
      const [from, to] = bounds;
      const last = day(to);
      return sql`(${col} >= ${day(from)?.start ?? from} AND ${last ? sql`${col} < ${last.end}` : sql`${col} <= ${to}`})`;
    }
    case 'in':
      return sql`${col} IN (${sql.join(
        list().map((v) => sql`${v}`),
        sql`, `,
      )})`;
    case 'nin':
      return sql`(${col} NOT IN (${sql.join(
        list().map((v) => sql`${v}`),
        sql`, `,
      )}) OR ${col} IS NULL)`;
    case 'contains':
      return sql`${col} ILIKE ${like((s) => `%${s}%`)}`;
    case 'notContains':
      return sql`(${col} NOT ILIKE ${like((s) => `%${s}%`)} OR ${col} IS NULL)`;
    case 'startsWith':
      return sql`${col} ILIKE ${like((s) => `${s}%`)}`;
    case 'endsWith':
      return sql`${col} ILIKE ${like((s) => `%${s}`)}`;
    case 'empty':
      noValue(value, at);
      return field.family === 'multi'
        ? sql`(${col} IS NULL OR cardinality(${col}) = 0)`
        : sql`${col} IS NULL`;
    case 'notEmpty':
      noValue(value, at);
      return field.family === 'multi' ? sql`cardinality(${col}) > 0` : sql`${col} IS NOT NULL`;
    case 'hasAny':
      return sql`${col} && ${sql.param(list())}::text[]`;
    case 'hasAll':
      return sql`${col} @> ${sql.param(list())}::text[]`;
    default:
      return sql`(NOT (${col} && ${sql.param(list())}::text[]) OR ${col} IS NULL)`;
  }
}

function noValue(value: unknown, at: string) {
  if (value !== undefined && value !== null) fail(`${at}/value`, 'this operator takes no value');
}

function checkValue(field: QueryField, value: unknown, at: string): unknown {
  const wrong = (what: string): never =>
    fail(at, `must be ${what} for field '${field.name}'`, 'invalid-value');
  switch (field.family) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) wrong('a number');
      if (field.integerMax !== undefined && !isNumberLiteral(value, true, field.integerMax)) {
        wrong(`a whole number from -${field.integerMax} to ${field.integerMax}`);
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') wrong('true or false');
      return value;
    case 'reference':
      if (typeof value !== 'string' || !UUID.test(value)) wrong('an id (uuid)');
      return value;
    case 'date':
      if (field.temporal === 'date' ? !isIsoDate(value) : !isTimestamp(value)) {
        wrong(field.temporal === 'date' ? 'a date (YYYY-MM-DD)' : 'a date or date-time (ISO 8601)');
      }
      return value;
    default:
      // PostgreSQL text cannot hold NUL: such a value would fail in SQL
      if (typeof value !== 'string' || value.length > LIMITS.text || value.includes('\u0000'))
        wrong(`text of at most ${LIMITS.text} characters, without NUL`);
      return value;
  }
}

/** The day after `date` (YYYY-MM-DD). */
function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(0);
  next.setUTCFullYear(y, m - 1, d + 1); // unlike Date.UTC, keeps years below 100 as they are
  return next.toISOString().slice(0, 10);
}
