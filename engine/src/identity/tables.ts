import { type SQL, sql } from 'drizzle-orm';
import { qualified } from '../storage/naming.ts';

/** The workspace's organisation and identity tables (migration 2), as SQL fragments. */
export function identityTables(schema: string) {
  const table = (name: string): SQL => sql.raw(qualified(schema, name));
  return {
    departments: table('_departments'),
    positions: table('_positions'),
    users: table('_users'),
    roles: table('_roles'),
    userRoles: table('_user_roles'),
    departmentRoles: table('_department_roles'),
    sessions: table('_sessions'),
    apiTokens: table('_api_tokens'),
    loginHistory: table('_login_history'),
    settings: table('_settings'),
  };
}

export type IdentityTables = ReturnType<typeof identityTables>;

/**
 * The role ids of the user whose id is `userId` (a column or a value): their own, their
 * department's, and those of departments above theirs that pass roles on to sub-departments.
 */
export function rolesOfUserSql(t: IdentityTables, userId: SQL): SQL {
  return sql`SELECT ur.role_id FROM ${t.userRoles} ur WHERE ur.user_id = ${userId}
    UNION
    SELECT dr.role_id FROM ${t.users} ru
      JOIN ${t.departments} ud ON ud.id = ru.department_id
      JOIN ${t.departments} d ON ud.path LIKE d.path || '%'
      JOIN ${t.departmentRoles} dr ON dr.department_id = d.id AND (dr.include_children OR d.id = ud.id)
      WHERE ru.id = ${userId}`;
}
