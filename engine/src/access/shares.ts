import { sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError, notFound, type Problem } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import { UUID } from '../records/literals.ts';
import { locateRecord } from '../records/locate.ts';
import type { WriteTables } from '../records/statements.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import type { AccessControl } from './access-control.ts';
import { announceAccessChange } from './announce.ts';
import { forbidden } from './forbidden.ts';
import { appendOperation } from './operation-log.ts';
import type { Policy } from './policy.ts';

export type PrincipalType = 'user' | 'department';
export type ShareAccess = 'read' | 'edit';

export interface Share {
  principalType: PrincipalType;
  principalId: string;
  access: ShareAccess;
  grantedBy: string | null;
  grantedAt: string;
}

const PRINCIPAL_TYPES: readonly string[] = ['user', 'department'];
const ACCESS: readonly string[] = ['read', 'edit'];

/**
 * Sharing one record with a user or a department (everyone in it and below), to read or to edit.
 * Seeing the shares needs reading the record; granting and revoking, the share permission on it.
 */
export class ShareService {
  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
    private readonly access: AccessControl,
    private readonly logs: WriteTables,
  ) {}

  get #shares() {
    return this.access.tables.shares;
  }

  async list(moduleName: string, recordId: string, actor: Actor): Promise<Share[]> {
    const module = this.catalog.byName(moduleName);
    await this.#reach(this.db, module, recordId, await this.access.policyOf(actor), false);
    const rows = await this.db.query<Record<string, unknown>>(
      sql`SELECT principal_type, principal_id, access, granted_by, granted_at FROM ${this.#shares}
          WHERE module_id = ${module.id} AND record_id = ${recordId} ORDER BY granted_at, principal_id`,
    );
    return rows.map((r) => ({
      principalType: r.principal_type as PrincipalType,
      principalId: String(r.principal_id),
      access: r.access as ShareAccess,
      grantedBy: (r.granted_by as string | null) ?? null,
      grantedAt: timestampToIso(r.granted_at) as string,
    }));
  }

  /** Shares the record (or changes the access of an existing share). */
  async grant(moduleName: string, recordId: string, input: unknown, actor: Actor): Promise<Share> {
    const module = this.catalog.byName(moduleName);
    const share = shareInput(input);
    const policy = await this.access.policyOf(actor);
    return this.db.transaction(async (tx) => {
      await this.#reach(tx, module, recordId, policy, true);
      await this.#checkPrincipal(tx, share.principalType, share.principalId);
      const [row] = await tx.query<Record<string, unknown>>(
        sql`INSERT INTO ${this.#shares} (module_id, record_id, principal_type, principal_id, access, granted_by)
            VALUES (${module.id}, ${recordId}, ${share.principalType}, ${share.principalId}, ${share.access}, ${actor.userId})
            ON CONFLICT (module_id, record_id, principal_type, principal_id)
            DO UPDATE SET access = EXCLUDED.access, granted_by = EXCLUDED.granted_by, granted_at = now()
            RETURNING granted_at`,
      );
      await announceAccessChange(tx, this.catalog.workspaceId);
      await appendOperation(tx, this.catalog.schema, actor, 'share', {
        module: module.id,
        recordId,
        details: share,
      });
      return { ...share, grantedBy: actor.userId, grantedAt: timestampToIso(row.granted_at) as string };
    });
  }

  async revoke(
    moduleName: string,
    recordId: string,
    principalType: string,
    principalId: string,
    actor: Actor,
  ): Promise<void> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    await this.db.transaction(async (tx) => {
      await this.#reach(tx, module, recordId, policy, true);
      const removed =
        PRINCIPAL_TYPES.includes(principalType) && UUID.test(principalId)
          ? await tx.run(
              sql`DELETE FROM ${this.#shares} WHERE module_id = ${module.id} AND record_id = ${recordId}
                  AND principal_type = ${principalType} AND principal_id = ${principalId}`,
            )
          : 0;
      if (removed === 0) throw notFound(`a share of this record with ${principalType} '${principalId}'`);
      await announceAccessChange(tx, this.catalog.workspaceId);
      await appendOperation(tx, this.catalog.schema, actor, 'unshare', {
        module: module.id,
        recordId,
        details: { principalType, principalId },
      });
    });
  }

  /** The record must be visible to the actor (404), and shareable by them when `share` (403). */
  async #reach(db: Db, module: CompiledModule, recordId: string, policy: Policy, share: boolean) {
    const notThere = notFound(`${module.name} record '${recordId}'`);
    if (!UUID.test(recordId)) throw notThere;
    const tables = { table: this.catalog.tableSql(module), ...this.logs, access: this.access.tables };
    const found = await locateRecord(db, module, recordId, policy, tables, share ? ['share'] : [], share);
    if (!found) throw notThere;
    if (share && !found.allowed.share) throw forbidden('share', `this ${module.name} record`);
  }

  async #checkPrincipal(db: Db, type: PrincipalType, id: string) {
    const table = type === 'user' ? this.access.tables.users : this.access.tables.departments;
    const active = type === 'user' ? sql`AND status = 'active'` : sql`AND NOT archived`;
    const [row] = await db.query(sql`SELECT 1 AS found FROM ${table} WHERE id = ${id} ${active}`);
    if (!row) {
      const message = `no active ${type} has this id`;
      throw new EngineError('invalid-input', `principalId: ${message}`, [
        { pointer: '/principalId', code: 'unknown-principal', message },
      ]);
    }
  }
}

/** `{ principalType, principalId, access }`, checked. */
function shareInput(input: unknown): {
  principalType: PrincipalType;
  principalId: string;
  access: ShareAccess;
} {
  const problems: Problem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EngineError('invalid-input', 'a share must be a JSON object', [
      { pointer: '', code: 'type', message: 'must be a JSON object' },
    ]);
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!['principalType', 'principalId', 'access'].includes(key)) {
      problems.push({ pointer: `/${key}`, code: 'additionalProperties', message: 'is not a known key' });
    }
  }
  if (typeof body.principalType !== 'string' || !PRINCIPAL_TYPES.includes(body.principalType)) {
    problems.push({ pointer: '/principalType', code: 'enum', message: "must be 'user' or 'department'" });
  }
  if (typeof body.principalId !== 'string' || !UUID.test(body.principalId)) {
    problems.push({
      pointer: '/principalId',
      code: 'format',
      message: 'must be a user or department id (uuid)',
    });
  }
  if (typeof body.access !== 'string' || !ACCESS.includes(body.access)) {
    problems.push({ pointer: '/access', code: 'enum', message: "must be 'read' or 'edit'" });
  }
  if (problems.length > 0) throw new EngineError('invalid-input', 'the share is not valid', problems);
  return {
    principalType: body.principalType as PrincipalType,
    principalId: body.principalId as string,
    access: body.access as ShareAccess,
  };
}
