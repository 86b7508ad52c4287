// A fixture organisation written straight into the workspace's tables (users, departments, roles),
// as the organisation service would, for suites that test what the organisation allows.
import { randomUUID } from 'node:crypto';
import { announceAccessChange, type RoleDefinition, type Workspace } from '@crm/engine';
import { sql } from 'drizzle-orm';
import type { EngineHandle } from './engines.ts';

const table = (workspace: Workspace, name: string) => sql.raw(`"${workspace.schema}"."${name}"`);

export interface FixtureUser {
  id: string;
  username: string;
  departmentId: string | null;
}

export interface FixtureDepartment {
  id: string;
  path: string;
}

/** Writes through the engine's database, then tells every server's access caches. */
export function organisation(handle: EngineHandle) {
  const { engine, workspace } = handle;
  const run = async (statement: ReturnType<typeof sql>) => {
    await engine.db.transaction(async (tx) => {
      await tx.run(statement);
      await announceAccessChange(tx, workspace.id);
    });
  };
  return {
    async department(name: string, parent?: FixtureDepartment): Promise<FixtureDepartment> {
      const id = randomUUID();
      const path = `${parent?.path ?? '/'}${id}/`;
      await run(
        sql`INSERT INTO ${table(workspace, '_departments')} (id, name, parent_id, path)
            VALUES (${id}, ${JSON.stringify({ en: name })}::jsonb, ${parent?.id ?? null}, ${path})`,
      );
      return { id, path };
    },
    async user(
      username: string,
      options: { department?: FixtureDepartment; admin?: boolean; status?: 'active' | 'left' } = {},
    ): Promise<FixtureUser> {
      const id = randomUUID();
      await run(
        sql`INSERT INTO ${table(workspace, '_users')} (id, username, display_name, department_id, is_admin, status)
            VALUES (${id}, ${username}, ${username}, ${options.department?.id ?? null}, ${options.admin === true},
                    ${options.status ?? 'active'})`,
      );
      return { id, username, departmentId: options.department?.id ?? null };
    },
    async setStatus(user: FixtureUser, status: 'active' | 'left') {
      await run(sql`UPDATE ${table(workspace, '_users')} SET status = ${status} WHERE id = ${user.id}`);
    },
    async role(definition: RoleDefinition) {
      await workspace.access.roles.create(definition, { userId: null });
    },
    async grant(user: FixtureUser, roleId: string) {
      await run(
        sql`INSERT INTO ${table(workspace, '_user_roles')} (user_id, role_id) VALUES (${user.id}, ${roleId})`,
      );
    },
    async revoke(user: FixtureUser, roleId: string) {
      await run(
        sql`DELETE FROM ${table(workspace, '_user_roles')} WHERE user_id = ${user.id} AND role_id = ${roleId}`,
      );
    },
    async grantDepartment(department: FixtureDepartment, roleId: string, includeChildren: boolean) {
      await run(
        sql`INSERT INTO ${table(workspace, '_department_roles')} (department_id, role_id, include_children)
            VALUES (${department.id}, ${roleId}, ${includeChildren})`,
      );
    },
  };
}
