import { type SQL, sql } from 'drizzle-orm';
import { fail } from './filter-error.ts';
import type { LinkList } from './links.ts';
import { UUID } from './literals.ts';

export const LINK_OPERATORS = ['hasAny', 'hasAll', 'hasNone', 'empty', 'notEmpty'] as const;
const MAX_IDS = 1000;

/** The alias of the linked records in the conditions below, for a read-scope condition on them. */
export const LINKED_ALIAS = 'o';

/** The live records linked to the record aliased `alias` (a record in the recycle bin counts as none). */
const linked = (list: LinkList, alias: string, extra: SQL = sql``) => {
  const other = sql.identifier(LINKED_ALIAS);
  return sql`SELECT 1 FROM ${list.table} l JOIN ${list.otherTable} ${other} ON ${other}.id = l.${sql.identifier(list.others)}
    AND ${other}.deleted_at IS NULL WHERE l.${sql.identifier(list.self)} = ${sql.identifier(alias)}.id${extra}`;
};

/**
 * A condition on a many-relation list of the record aliased `alias` (a field, or an inverse list on
 * the target): linked to any, all or none of the given ids, or to nothing / something. `scope`
 * (on alias `o`) narrows the linked records counted.
 */
export function linkCondition(
  list: LinkList,
  op: string,
  value: unknown,
  alias: string,
  at: string,
  scope?: SQL,
): SQL {
  const links = (extra: SQL = sql``) => linked(list, alias, scope ? sql`${extra} AND ${scope}` : extra);
  if (!(LINK_OPERATORS as readonly string[]).includes(op)) {
    fail(
      `${at}/op`,
      `operator '${op}' does not apply to field '${list.name}' (use ${LINK_OPERATORS.join(', ')})`,
    );
  }
  if (op === 'empty' || op === 'notEmpty') {
    if (value !== undefined && value !== null) fail(`${at}/value`, 'this operator takes no value');
    return op === 'empty' ? sql`NOT EXISTS (${links()})` : sql`EXISTS (${links()})`;
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IDS) {
    fail(`${at}/value`, `must be a non-empty array of at most ${MAX_IDS} ids`);
  }
  const ids = value.map((v, i) => {
    if (typeof v !== 'string' || !UUID.test(v)) {
      fail(`${at}/value/${i}`, `must be an id (uuid) for field '${list.name}'`, 'invalid-value');
    }
    return v.toLowerCase();
  });
  const among = sql` AND l.${sql.identifier(list.others)} = ANY(${sql.param(ids)}::uuid[])`;
  if (op === 'hasAny') return sql`EXISTS (${links(among)})`;
  if (op === 'hasNone') return sql`NOT EXISTS (${links(among)})`;
  const distinct = new Set(ids).size;
  return sql`(SELECT count(*) FROM (${links(among)}) a) = ${distinct}`;
}

/**
 * A step through a many-relation list: the record is linked to a record (aliased `targetAlias` in
 * `targetTable`) for which `where` holds. Operators that hold for an empty value also hold for a
 * record linked to nothing, as through an empty single relation.
 */
export function linkStep(
  list: LinkList,
  alias: string,
  targetTable: SQL,
  targetAlias: string,
  where: SQL,
  matchesEmpty: boolean,
): SQL {
  const target = sql.identifier(targetAlias);
  const related = sql`EXISTS (SELECT 1 FROM ${list.table} l JOIN ${targetTable} ${target}
    ON ${target}.id = l.${sql.identifier(list.others)}
    WHERE l.${sql.identifier(list.self)} = ${sql.identifier(alias)}.id AND ${where})`;
  return matchesEmpty ? sql`(${related} OR NOT EXISTS (${linked(list, alias)}))` : related;
}
