import { sql } from 'drizzle-orm';
import type { LocaleText } from '../definitions/types.ts';
import { notFound } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { accessChanged, type IdentityContext } from './context.ts';
import { checkInput, inputProblem, invalidInput, isUuid } from './inputs.ts';
import { rolesOfUserSql } from './tables.ts';
import type { RoleAssignment, RoleAssignmentInput } from './types.ts';

/** What a role row holds at the least; the access engineer's role definitions extend it. */
export interface MinimalRole {
  id: string;
  label: LocaleText;
}

export interface AssignmentQuery {
  userId?: string;
  departmentId?: string;
  roleId?: string;
}

/** Who holds which role: given to users, and to departments (optionally passed on to those below). */
export class RoleAssignments {
  constructor(private readonly ctx: IdentityContext) {}

  /**
   * Creates the role row when there is none (an existing role keeps its definition). Only what
   * assignments need: the permission matrix is the access control's business.
   */
  async ensureRole(role: MinimalRole): Promise<void> {
    await this.ctx.db.run(
      sql`INSERT INTO ${this.ctx.t.roles} (id, definition)
          VALUES (${role.id}, ${JSON.stringify({ id: role.id, label: role.label, modules: {} })}::jsonb)
          ON CONFLICT (id) DO NOTHING`,
    );
  }

  /** Gives the role to a user (`{ roleId, userId }`) or a department (`{ roleId, departmentId, includeChildren }`). */
  async assign(input: RoleAssignmentInput): Promise<RoleAssignment> {
    const assignment = this.#check(input);
    return this.ctx.db.transaction(async (tx) => {
      await this.#checkRole(tx, assignment.roleId);
      if ('userId' in assignment) {
        await this.#checkExists(tx, 'users', assignment.userId, '/userId');
        await tx.run(
          sql`INSERT INTO ${this.ctx.t.userRoles} (user_id, role_id) VALUES (${assignment.userId}, ${assignment.roleId})
              ON CONFLICT DO NOTHING`,
        );
      } else {
        await this.#checkExists(tx, 'departments', assignment.departmentId, '/departmentId');
        await tx.run(
          sql`INSERT INTO ${this.ctx.t.departmentRoles} (department_id, role_id, include_children)
              VALUES (${assignment.departmentId}, ${assignment.roleId}, ${assignment.includeChildren})
              ON CONFLICT (department_id, role_id) DO UPDATE SET include_children = EXCLUDED.include_children`,
        );
      }
      await accessChanged(tx, this.ctx);
      return assignment;
    });
  }

  /** Takes the role back; 404 when it was not given that way. */
  async unassign(input: RoleAssignmentInput): Promise<void> {
    const assignment = this.#check(input);
    await this.ctx.db.transaction(async (tx) => {
      const removed =
        'userId' in assignment
          ? await tx.run(
              sql`DELETE FROM ${this.ctx.t.userRoles} WHERE user_id = ${assignment.userId} AND role_id = ${assignment.roleId}`,
            )
          : await tx.run(
              sql`DELETE FROM ${this.ctx.t.departmentRoles}
                  WHERE department_id = ${assignment.departmentId} AND role_id = ${assignment.roleId}`,
            );
      if (removed === 0) throw notFound(`role assignment of '${assignment.roleId}'`);
      await accessChanged(tx, this.ctx);
    });
  }

  async list(query: AssignmentQuery = {}): Promise<RoleAssignment[]> {
    const t = this.ctx.t;
    if ((query.userId && !isUuid(query.userId)) || (query.departmentId && !isUuid(query.departmentId)))
      return [];
    const result: RoleAssignment[] = [];
    if (query.departmentId === undefined) {
      const rows = await this.ctx.db.query<{ user_id: string; role_id: string }>(
        sql`SELECT user_id, role_id FROM ${t.userRoles} WHERE true
            ${query.userId ? sql`AND user_id = ${query.userId}` : sql``}
            ${query.roleId ? sql`AND role_id = ${query.roleId}` : sql``}
            ORDER BY role_id, user_id`,
      );
      result.push(...rows.map((r) => ({ roleId: r.role_id, userId: r.user_id })));
    }
    if (query.userId === undefined) {
      const rows = await this.ctx.db.query<{
        department_id: string;
        role_id: string;
        include_children: boolean;
      }>(
        sql`SELECT department_id, role_id, include_children FROM ${t.departmentRoles} WHERE true
            ${query.departmentId ? sql`AND department_id = ${query.departmentId}` : sql``}
            ${query.roleId ? sql`AND role_id = ${query.roleId}` : sql``}
            ORDER BY role_id, department_id`,
      );
      result.push(
        ...rows.map((r) => ({
          roleId: r.role_id,
          departmentId: r.department_id,
          includeChildren: r.include_children,
        })),
      );
    }
    return result;
  }

  /**
   * The user's roles: given to them, to their department, and to departments above theirs that
   * pass roles on (`includeChildren`). Sorted ids.
   */
  async rolesOf(userId: string): Promise<string[]> {
    if (!isUuid(userId)) return [];
    const rows = await this.ctx.db.query<{ role_id: string }>(
      sql`SELECT role_id FROM (${rolesOfUserSql(this.ctx.t, sql`${userId}::uuid`)}) r ORDER BY role_id`,
    );
    return rows.map((r) => r.role_id);
  }

  #check(input: RoleAssignmentInput): RoleAssignment {
    if (typeof input === 'object' && input !== null && 'userId' in input) {
      return checkInput<RoleAssignment>('userRoleAssignment', input);
    }
    const assignment = checkInput<{ roleId: string; departmentId: string; includeChildren?: boolean }>(
      'departmentRoleAssignment',
      input,
    );
    return { ...assignment, includeChildren: assignment.includeChildren ?? true };
  }

  async #checkRole(tx: Db, roleId: string): Promise<void> {
    const [row] = await tx.query(sql`SELECT 1 FROM ${this.ctx.t.roles} WHERE id = ${roleId}`);
    if (!row)
      throw invalidInput([
        inputProblem('/roleId', 'not-found', { en: 'no such role', 'zh-CN': '角色不存在' }),
      ]);
  }

  async #checkExists(tx: Db, table: 'users' | 'departments', id: string, pointer: string): Promise<void> {
    const [row] = await tx.query(sql`SELECT 1 FROM ${this.ctx.t[table]} WHERE id = ${id}`);
    if (!row) {
      const what =
        table === 'users'
          ? { en: 'no such user', 'zh-CN': '用户不存在' }
          : { en: 'no such department', 'zh-CN': '部门不存在' };
      throw invalidInput([inputProblem(pointer, 'not-found', what)]);
    }
  }
}
