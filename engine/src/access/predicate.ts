import { type SQL, sql } from 'drizzle-orm';
import { OWNER_PATH_COLUMN, qualified } from '../storage/naming.ts';
import type { Policy, Subject } from './policy.ts';
import type { Operation, Scope } from './rights.ts';

/** The organisation tables the predicates read, qualified with the workspace's schema. */
export interface AccessTables {
  users: SQL;
  departments: SQL;
  shares: SQL;
}

export function accessTables(schema: string): AccessTables {
  return {
    users: sql.raw(qualified(schema, '_users')),
    departments: sql.raw(qualified(schema, '_departments')),
    shares: sql.raw(qualified(schema, '_shares')),
  };
}

const col = (alias: string, name: string) => sql`${sql.identifier(alias)}.${sql.identifier(name)}`;

/** Escapes LIKE's wildcards, so a path is matched as the prefix it is. */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Records owned within `scope` of the subject, as a condition on a record's `owner` and the path
 * of its owner's department (`ownerPath`); undefined for 'all'. A user without a department has only
 * their own records in department scopes. The department scopes are conditions on the row itself
 * (records keep their owner's department path), so they cost no sub-query.
 */
export function scopeCondition(scope: Scope, subject: Subject, owner: SQL, ownerPath: SQL): SQL | undefined {
  if (scope === 'all') return undefined;
  if (scope === 'own' || subject.departmentPath === null) return sql`${owner} = ${subject.userId}`;
  if (scope === 'department') return sql`${ownerPath} = ${subject.departmentPath}`;
  return sql`${ownerPath} LIKE ${likePrefix(subject.departmentPath)}`;
}

/**
 * Records shared with the subject or a department they are in (shares are by id, and user and
 * department ids are uuids of one space), to read, or to edit when `access` is 'edit'.
 */
function sharedCondition(
  moduleId: string,
  access: 'read' | 'edit',
  subject: Subject,
  alias: string,
  tables: AccessTables,
): SQL {
  const levels = access === 'read' ? sql`` : sql` AND s.access = 'edit'`;
  const principals = [subject.userId, ...subject.departmentIds];
  return sql`${col(alias, 'id')} IN (SELECT s.record_id FROM ${tables.shares} s
    WHERE s.module_id = ${moduleId} AND s.principal_id = ANY(${sql.param(principals)}::uuid[])${levels})`;
}

/**
 * The records of a module the actor may `operation`, as a SQL condition on the table aliased
 * `alias`; undefined when that is every record. Reading also covers records shared with the actor,
 * updating those shared for editing (policies know which modules share something with the actor,
 * and are dropped whenever a share changes). Lists, counts, lookups through relations, exports and (later)
 * rollups and aggregates all filter with this one predicate.
 */
export function accessPredicate(
  policy: Policy,
  moduleId: string,
  operation: Operation,
  alias: string,
  tables: AccessTables,
): SQL | undefined {
  if (policy.unrestricted) return undefined;
  const subject = policy.subject;
  if (policy.denied || !subject) return sql`FALSE`;
  const scope = policy.scope(moduleId, operation);
  if (scope === 'all') return undefined;
  const parts: SQL[] = [];
  if (scope) {
    const owner = col(alias, 'owner');
    parts.push(scopeCondition(scope, subject, owner, col(alias, OWNER_PATH_COLUMN)) ?? sql`TRUE`);
  }
  // the pool: unowned records, for those whose role may claim them
  if (operation === 'read' && policy.mayClaim(moduleId)) parts.push(sql`${col(alias, 'owner')} IS NULL`);
  // only when something of the module is shared with them: most lists then need no sub-query
  if ((operation === 'read' || operation === 'update') && subject.sharedModules.has(moduleId)) {
    parts.push(sharedCondition(moduleId, operation === 'read' ? 'read' : 'edit', subject, alias, tables));
  }
  if (parts.length === 0) return sql`FALSE`;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}
