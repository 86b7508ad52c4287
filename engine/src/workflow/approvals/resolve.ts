import { sql } from 'drizzle-orm';
import type { IdentityTables } from '../../identity/tables.ts';
import { rolesOfUserSql } from '../../identity/tables.ts';
import type { Db } from '../../storage/db.ts';
import type { Variables } from '../expression.ts';
import type { ApproverRule } from './settings.ts';

/** Whom a rule is about: the flow's variables, the submitter, and for escalations the current approver. */
export interface ResolveContext {
  variables: Variables;
  submitter: string | null;
  approver?: string | null;
}

export interface Resolution {
  /** Active users, deduplicated, in the order of the rules (and within a rule, its own order). */
  users: string[];
  /** Rules that gave nobody. */
  empty: ApproverRule[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns approver rules into users of the organisation (active ones only). */
export class ApproverResolver {
  constructor(private readonly t: IdentityTables) {}

  async resolve(db: Db, rules: ApproverRule[], context: ResolveContext): Promise<Resolution> {
    const users: string[] = [];
    const empty: ApproverRule[] = [];
    for (const rule of rules) {
      const found = await this.#rule(db, rule, context);
      if (found.length === 0) empty.push(rule);
      for (const user of found) if (!users.includes(user)) users.push(user);
    }
    return { users, empty };
  }

  async #rule(db: Db, rule: ApproverRule, context: ResolveContext): Promise<string[]> {
    switch (rule.source) {
      case 'users':
      case 'expression':
        return this.activeUsers(db, names(rule.value?.evaluate(context.variables)));
      case 'role':
        return this.roleMembers(db, String(rule.value?.evaluate(context.variables) ?? ''));
      case 'userField': {
        const record = context.variables.record;
        const value =
          record && typeof record === 'object' ? (record as Variables)[rule.field ?? ''] : undefined;
        return this.activeUsers(db, names(value));
      }
      case 'departmentHead': {
        const whom = await this.#whom(db, rule, context);
        return whom ? this.departmentHead(db, whom) : [];
      }
      case 'managerChain': {
        const whom = await this.#whom(db, rule, context);
        return whom ? this.#managers(db, whom, rule.levels) : [];
      }
    }
  }

  async #whom(db: Db, rule: ApproverRule, context: ResolveContext): Promise<string | null> {
    if (rule.of === 'submitter') return context.submitter;
    if (rule.of === 'approver') return context.approver ?? null;
    const [user] = await this.activeUsers(db, names(rule.of.evaluate(context.variables)), true);
    return user ?? null;
  }

  /** Ids of the users named (by id or username) who exist (and are active unless `anyStatus`), in order. */
  async activeUsers(db: Db, given: string[], anyStatus = false): Promise<string[]> {
    if (given.length === 0) return [];
    const ids = given.filter((name) => UUID.test(name)).map((id) => id.toLowerCase());
    const usernames = given.map((name) => name.toLowerCase());
    const rows = await db.query<{ id: string; username: string }>(
      sql`SELECT id, username FROM ${this.t.users}
        WHERE (id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)
          OR username IN (SELECT jsonb_array_elements_text(${JSON.stringify(usernames)}::jsonb)))
          ${anyStatus ? sql`` : sql`AND status = 'active'`}`,
    );
    const byName = new Map<string, string>();
    for (const row of rows) {
      byName.set(row.id, row.id);
      byName.set(row.username, row.id);
    }
    const found: string[] = [];
    for (const name of given) {
      const id = byName.get(name.toLowerCase());
      if (id && !found.includes(id)) found.push(id);
    }
    return found;
  }

  /** The active members of a role, by username. */
  async roleMembers(db: Db, roleId: string): Promise<string[]> {
    if (roleId === '') return [];
    const rows = await db.query<{ id: string }>(
      sql`SELECT u.id FROM ${this.t.users} u WHERE u.status = 'active'
        AND ${roleId} IN (${rolesOfUserSql(this.t, sql`u.id`)}) ORDER BY u.username`,
    );
    return rows.map((row) => row.id);
  }

  /** The head of the user's department, or of the nearest department above it that has one. */
  async departmentHead(db: Db, userId: string): Promise<string[]> {
    const rows = await db.query<{ head_id: string }>(
      sql`SELECT d.head_id FROM ${this.t.users} u
        JOIN ${this.t.departments} ud ON ud.id = u.department_id
        JOIN ${this.t.departments} d ON ud.path LIKE d.path || '%'
        JOIN ${this.t.users} h ON h.id = d.head_id AND h.status = 'active'
        WHERE u.id = ${userId} ORDER BY length(d.path) DESC LIMIT 1`,
    );
    return rows.map((row) => row.head_id);
  }

  /** Up to `levels` managers above the user, nearest first (managers who left are passed over). */
  async #managers(db: Db, userId: string, levels: number): Promise<string[]> {
    const rows = await db.query<{ id: string; status: string }>(
      sql`WITH RECURSIVE up (id, depth) AS (
          SELECT manager_id, 1 FROM ${this.t.users} WHERE id = ${userId} AND manager_id IS NOT NULL
          UNION ALL
          SELECT u.manager_id, up.depth + 1 FROM up JOIN ${this.t.users} u ON u.id = up.id
            WHERE u.manager_id IS NOT NULL AND up.depth < 50)
        SELECT u.id, u.status FROM up JOIN ${this.t.users} u ON u.id = up.id ORDER BY up.depth`,
    );
    return rows
      .filter((row) => row.status === 'active')
      .slice(0, levels)
      .map((row) => row.id);
  }
}

/** User ids or usernames from a FEEL value: text ("a, b"), a list, or null. */
export function names(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.flatMap(names);
  if (typeof value === 'object') {
    const id = (value as Variables).id;
    return typeof id === 'string' ? [id] : [];
  }
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
