import { sql } from 'drizzle-orm';
import { isUuid } from '../../identity/inputs.ts';
import { identityTables, rolesOfUserSql } from '../../identity/tables.ts';
import type { Db } from '../../storage/db.ts';
import type { Variables } from '../expression.ts';

/** Who a notification goes to, as a notify task lists them (each a list, or text with commas). */
export interface RecipientRules {
  users?: unknown;
  roles?: unknown;
  /** Users whose department head (the nearest one above when their department has none) is a recipient. */
  departmentHeadOf?: unknown;
  /** User fields of the flow's record (`record`): the users they hold. */
  userFields?: unknown;
}

export function textList(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== '').map(String);
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * The active users the rules name, deduplicated in order (users, role members, department heads, the
 * record's user fields), read through `db` (the job's transaction).
 */
export async function resolveRecipients(
  db: Db,
  schema: string,
  rules: RecipientRules,
  variables: Variables,
): Promise<string[]> {
  const t = identityTables(schema);
  const found: string[] = [...textList(rules.users)];
  const roles = textList(rules.roles);
  if (roles.length > 0) {
    const rows = await db.query<{ id: string }>(
      sql`SELECT u.id FROM ${t.users} u WHERE u.status = 'active' AND EXISTS (
            SELECT 1 FROM (${rolesOfUserSql(t, sql`u.id`)}) r
            WHERE r.role_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(roles)}::jsonb)))
          ORDER BY u.username`,
    );
    found.push(...rows.map((row) => row.id));
  }
  for (const userId of textList(rules.departmentHeadOf).filter(isUuid)) {
    const [head] = await db.query<{ id: string }>(
      sql`SELECT h.id FROM ${t.users} s
          JOIN ${t.departments} target ON target.id = s.department_id
          JOIN ${t.departments} d ON target.path LIKE d.path || '%'
          JOIN ${t.users} h ON h.id = d.head_id AND h.status = 'active'
          WHERE s.id = ${userId} ORDER BY length(d.path) DESC LIMIT 1`,
    );
    if (head) found.push(head.id);
  }
  const record = (variables.record ?? {}) as Variables;
  for (const field of textList(rules.userFields)) found.push(...textList(record[field]));
  const valid = found.filter(isUuid);
  if (valid.length === 0) return [];
  // only active users: a notification to someone who left helps nobody
  const active = await db.query<{ id: string }>(
    sql`SELECT id FROM ${t.users} WHERE status = 'active'
        AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(valid)}::jsonb)::uuid)`,
  );
  const known = new Set(active.map((row) => row.id));
  return [...new Set(valid)].filter((id) => known.has(id));
}
