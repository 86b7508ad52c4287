import { sql } from 'drizzle-orm';
import { UUID } from '../records/literals.ts';
import type { Db } from '../storage/db.ts';
import type { Policy } from './policy.ts';
import { type AccessTables, scopeCondition } from './predicate.ts';
import type { Scope } from './rights.ts';

/**
 * Whether `owner` may be given records by an actor whose assign scope is `scope`: an active user
 * whose records would fall within that scope (own: only the actor; department: their department …).
 */
export async function checkAssignee(
  db: Db,
  policy: Policy,
  scope: Scope,
  owner: string,
  tables: AccessTables,
): Promise<boolean> {
  if (!UUID.test(owner)) return false;
  const subject = policy.subject;
  const within = subject ? scopeCondition(scope, subject, sql`u.id`, sql`d.path`) : undefined;
  const [row] = await db.query<{ ok: boolean }>(
    sql`SELECT EXISTS (
          SELECT 1 FROM ${tables.users} u LEFT JOIN ${tables.departments} d ON d.id = u.department_id
          WHERE u.id = ${owner} AND u.status = 'active' ${within ? sql`AND ${within}` : sql``}) AS ok`,
  );
  return row?.ok === true;
}
