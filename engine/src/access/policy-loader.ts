import { sql } from 'drizzle-orm';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { Policy, type Subject } from './policy.ts';
import type { RoleDefinition } from './role-definition.ts';

/** The department ids on a materialized path ('/<root>/…/<id>/'), root first. */
export function pathIds(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/**
 * Reads a user's effective policy: admins see everything, users who left (or do not exist) nothing,
 * everyone else the union of their roles, given directly or through their department (and through
 * the departments above it, where the role is given with `include_children`).
 */
export async function loadPolicy(db: Db, schema: string, userId: string): Promise<Policy> {
  const table = (name: string) => sql.raw(qualified(schema, name));
  const [user] = await db.query<{
    status: string;
    is_admin: boolean;
    department_id: string | null;
    path: string | null;
  }>(
    sql`SELECT u.status, u.is_admin, u.department_id, d.path FROM ${table('_users')} u
        LEFT JOIN ${table('_departments')} d ON d.id = u.department_id WHERE u.id = ${userId}`,
  );
  if (!user) return Policy.none(null);
  const ancestors = user.path ? pathIds(user.path) : [];
  const subject: Subject = {
    userId,
    departmentId: user.department_id ?? null,
    departmentPath: user.path ?? null,
    departmentIds: ancestors,
    sharedModules: new Set(),
  };
  if (user.status !== 'active') return Policy.none(subject);
  if (user.is_admin) return Policy.unrestricted(subject);
  const shared = await db.query<{ module_id: string }>(
    sql`SELECT DISTINCT module_id FROM ${table('_shares')}
        WHERE principal_id = ANY(${sql.param([userId, ...ancestors])}::uuid[])`,
  );
  subject.sharedModules = new Set(shared.map((s) => s.module_id));
  const roles = await db.query<{ definition: RoleDefinition | string }>(
    sql`SELECT r.definition FROM ${table('_roles')} r WHERE r.id IN (
          SELECT ur.role_id FROM ${table('_user_roles')} ur WHERE ur.user_id = ${userId}
          UNION
          SELECT dr.role_id FROM ${table('_department_roles')} dr
          WHERE dr.department_id = ${user.department_id}
             OR (dr.include_children AND dr.department_id = ANY(${sql.param(ancestors)}::uuid[])))`,
  );
  return Policy.of(
    subject,
    roles.map((r) => (typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition)),
  );
}
