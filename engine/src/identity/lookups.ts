import { sql } from 'drizzle-orm';
import type { Row } from '../storage/db.ts';
import type { IdentityContext } from './context.ts';
import { isUuid } from './inputs.ts';
import type { UserSummary } from './types.ts';

/** Longest reporting line followed; the graph has no cycles, this only bounds a damaged one. */
const MAX_CHAIN = 100;

function toSummary(row: Row): UserSummary {
  return { id: row.id as string, username: row.username as string, displayName: row.display_name as string };
}

/** The organisation questions approvals ask: who is above this person, who heads that department. */
export class OrganisationLookups {
  constructor(private readonly ctx: IdentityContext) {}

  /**
   * The first `levels` active managers above the user, nearest first: a manager who left is
   * stepped over (their own manager stands in), so an approval never waits on someone gone.
   */
  async managerChain(userId: string, levels: number): Promise<UserSummary[]> {
    if (!isUuid(userId) || levels < 1) return [];
    const t = this.ctx.t;
    const rows = await this.ctx.db.query(
      sql`WITH RECURSIVE up(id, depth) AS (
            SELECT manager_id, 1 FROM ${t.users} WHERE id = ${userId} AND manager_id IS NOT NULL
            UNION ALL
            SELECT u.manager_id, up.depth + 1 FROM up JOIN ${t.users} u ON u.id = up.id
            WHERE u.manager_id IS NOT NULL AND up.depth < ${MAX_CHAIN})
          SELECT u.id, u.username, u.display_name FROM up JOIN ${t.users} u ON u.id = up.id
          WHERE u.status = 'active' ORDER BY up.depth LIMIT ${Math.min(levels, MAX_CHAIN)}`,
    );
    return rows.map(toSummary);
  }

  /**
   * The active head of the department; with `inherit`, when it has none, the nearest department
   * above it that has one. Null when there is nobody.
   */
  async departmentHead(
    departmentId: string,
    options: { inherit?: boolean } = {},
  ): Promise<UserSummary | null> {
    if (!isUuid(departmentId)) return null;
    const t = this.ctx.t;
    const [row] = await this.ctx.db.query(
      sql`SELECT u.id, u.username, u.display_name
          FROM ${t.departments} target
          JOIN ${t.departments} d ON ${options.inherit ? sql`target.path LIKE d.path || '%'` : sql`d.id = target.id`}
          JOIN ${t.users} u ON u.id = d.head_id AND u.status = 'active'
          WHERE target.id = ${departmentId}
          ORDER BY length(d.path) DESC LIMIT 1`,
    );
    return row ? toSummary(row) : null;
  }
}
