import { sql } from 'drizzle-orm';
import { EngineError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { announceAccessChange } from './announce.ts';
import { appendOperation } from './operation-log.ts';
import { checkRole, type ModuleLookup } from './role-check.ts';
import type { RoleDefinition } from './role-definition.ts';

export interface StoredRole {
  definition: RoleDefinition;
  createdAt: string;
  updatedAt: string;
}

/**
 * Roles are configuration: definitions checked by the role meta-schema and against the published
 * modules, stored in `_roles`. Every change is logged and announced (cached policies drop).
 * Who holds a role (`_user_roles`, `_department_roles`) is the organisation's business.
 */
export class RoleStore {
  constructor(
    private readonly db: Db,
    private readonly workspaceId: string,
    private readonly schema: string,
    private readonly modules: ModuleLookup,
  ) {}

  /**
   * This store working inside the caller's transaction, checking roles against `modules` (a package
   * import checks them against the modules it is about to publish).
   */
  within(tx: Db, modules: ModuleLookup): RoleStore {
    return new RoleStore(tx, this.workspaceId, this.schema, modules);
  }

  get #table() {
    return sql.raw(qualified(this.schema, '_roles'));
  }

  async list(): Promise<StoredRole[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      sql`SELECT definition, created_at, updated_at FROM ${this.#table} ORDER BY id`,
    );
    return rows.map(storedRole);
  }

  async get(id: string): Promise<StoredRole> {
    const [row] = await this.db.query<Record<string, unknown>>(
      sql`SELECT definition, created_at, updated_at FROM ${this.#table} WHERE id = ${validRoleId(id)}`,
    );
    if (!row) throw notFound(`role '${id}'`);
    return storedRole(row);
  }

  async create(input: unknown, actor: Actor): Promise<StoredRole> {
    const role = this.#checked(input);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<Record<string, unknown>>(
        sql`INSERT INTO ${this.#table} (id, definition) VALUES (${role.id}, ${JSON.stringify(role)}::jsonb)
            ON CONFLICT (id) DO NOTHING RETURNING definition, created_at, updated_at`,
      );
      if (!row) {
        throw new EngineError('conflict', `a role with the id '${role.id}' exists`, [
          { pointer: '/id', code: 'exists', message: `a role with the id '${role.id}' exists` },
        ]);
      }
      await appendOperation(tx, this.schema, actor, 'role.create', { details: { role: role.id } });
      await announceAccessChange(tx, this.workspaceId);
      return storedRole(row);
    });
  }

  /** Replaces the definition of role `id` (the body's id, if any, must be `id`). */
  async update(id: string, input: unknown, actor: Actor): Promise<StoredRole> {
    validRoleId(id);
    const body = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : undefined;
    if (body && !('id' in body)) input = { ...body, id };
    const role = this.#checked(input);
    if (role.id !== id) {
      throw new EngineError('invalid-definition', 'the id in the body differs from the role addressed', [
        { pointer: '/id', code: 'const', message: `must be '${id}'` },
      ]);
    }
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<Record<string, unknown>>(
        sql`UPDATE ${this.#table} SET definition = ${JSON.stringify(role)}::jsonb, updated_at = now()
            WHERE id = ${id} RETURNING definition, created_at, updated_at`,
      );
      if (!row) throw notFound(`role '${id}'`);
      await appendOperation(tx, this.schema, actor, 'role.update', { details: { role: id } });
      await announceAccessChange(tx, this.workspaceId);
      return storedRole(row);
    });
  }

  /** Deletes the role; whoever held it loses what it granted. */
  async delete(id: string, actor: Actor): Promise<void> {
    validRoleId(id);
    await this.db.transaction(async (tx) => {
      const deleted = await tx.run(sql`DELETE FROM ${this.#table} WHERE id = ${id}`);
      if (deleted === 0) throw notFound(`role '${id}'`);
      await appendOperation(tx, this.schema, actor, 'role.delete', { details: { role: id } });
      await announceAccessChange(tx, this.workspaceId);
    });
  }

  #checked(input: unknown): RoleDefinition {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new EngineError('invalid-definition', 'a role definition must be a JSON object', [
        { pointer: '', code: 'type', message: 'must be a JSON object' },
      ]);
    }
    const problems = checkRole(input, this.modules);
    if (problems.length > 0) {
      throw new EngineError('invalid-definition', 'the role definition is not valid', problems);
    }
    return input as RoleDefinition;
  }
}

const ROLE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function validRoleId(id: string): string {
  if (!ROLE_ID.test(id)) throw notFound(`role '${id}'`);
  return id;
}

function storedRole(row: Record<string, unknown>): StoredRole {
  const definition = typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition;
  return {
    definition: definition as RoleDefinition,
    createdAt: timestampToIso(row.created_at) as string,
    updatedAt: timestampToIso(row.updated_at) as string,
  };
}
