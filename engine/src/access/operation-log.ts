import { type SQL, sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import { EngineError } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import { isTimestamp, UUID } from '../records/literals.ts';
import type { Actor, Page } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';

export const OPERATION_LOG_TABLE = '_operation_log';

/** What the log records: record writes, sharing, exports, publishes and role changes. */
export const OPERATION_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'revert',
  'purge',
  'assign',
  'share',
  'unshare',
  'export',
  'publish',
  'archive.purge',
  'role.create',
  'role.update',
  'role.delete',
] as const;
export type OperationAction = (typeof OPERATION_ACTIONS)[number];

export interface OperationEntry {
  id: string;
  at: string;
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  /** The module's name as published now (its id when it is no longer published). */
  module: string | null;
  moduleId: string | null;
  recordId: string | null;
  details: unknown;
}

export interface OperationQuery {
  actor?: string;
  /** Module name or id. */
  module?: string;
  record?: string;
  action?: string;
  /** ISO 8601 date-times, `from` inclusive, `to` exclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

const MAX_LIMIT = 500;

export function operationLogTable(schema: string): SQL {
  return sql.raw(qualified(schema, OPERATION_LOG_TABLE));
}

/**
 * Appends one entry inside the caller's transaction, so it is there exactly when the change is.
 * `module` is the module's id (stable across renames).
 */
export async function appendOperation(
  tx: Db,
  schema: string,
  actor: Actor,
  action: OperationAction,
  target: { module?: string; recordId?: string; details?: unknown } = {},
): Promise<void> {
  await tx.run(
    sql`INSERT INTO ${operationLogTable(schema)} (actor, ip, user_agent, action, module, record_id, details)
        VALUES (${actor.userId}, ${actor.ip ?? null}, ${actor.userAgent ?? null}, ${action},
                ${target.module ?? null}, ${target.recordId ?? null},
                ${target.details === undefined ? null : JSON.stringify(target.details)}::jsonb)`,
  );
}

function invalid(pointer: string, message: string): never {
  throw new EngineError('invalid-query', `${pointer.slice(1)}: ${message}`, [
    { pointer, code: 'invalid-parameter', message },
  ]);
}

/** The operation log of a workspace: append-only (a trigger refuses changes), searched by admins. */
export class OperationLog {
  readonly #table: SQL;

  constructor(
    private readonly db: Db,
    schema: string,
    private readonly catalog: ModuleCatalog,
  ) {
    this.#table = operationLogTable(schema);
  }

  /** Newest first, a page at a time (`nextCursor`). */
  async search(query: OperationQuery = {}): Promise<Page<OperationEntry>> {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      invalid('/limit', `must be an integer from 1 to ${MAX_LIMIT}`);
    }
    const conditions: SQL[] = [];
    if (query.actor !== undefined) {
      if (!UUID.test(query.actor)) invalid('/actor', 'must be a user id (uuid)');
      conditions.push(sql`actor = ${query.actor}`);
    }
    if (query.module !== undefined) {
      const id = this.catalog.has(query.module) ? this.catalog.byName(query.module).id : query.module;
      conditions.push(sql`module = ${id}`);
    }
    if (query.record !== undefined) {
      if (!UUID.test(query.record)) invalid('/record', 'must be a record id (uuid)');
      conditions.push(sql`record_id = ${query.record}`);
    }
    if (query.action !== undefined) {
      if (!(OPERATION_ACTIONS as readonly string[]).includes(query.action)) {
        invalid('/action', `must be one of ${OPERATION_ACTIONS.join(', ')}`);
      }
      conditions.push(sql`action = ${query.action}`);
    }
    for (const key of ['from', 'to'] as const) {
      const value = query[key];
      if (value === undefined) continue;
      if (!isTimestamp(value)) invalid(`/${key}`, 'must be an ISO 8601 date-time');
      conditions.push(key === 'from' ? sql`at >= ${value}` : sql`at < ${value}`);
    }
    if (query.cursor !== undefined) {
      const before = /^[1-9]\d{0,17}$/.test(query.cursor)
        ? query.cursor
        : invalid('/cursor', 'is not a cursor');
      conditions.push(sql`id < ${before}`);
    }
    const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const rows = await this.db.query<Record<string, unknown>>(
      sql`SELECT id, at, actor, ip, user_agent, action, module, record_id, details FROM ${this.#table}
          ${where} ORDER BY id DESC LIMIT ${limit + 1}`,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      data: page.map((r) => this.#entry(r)),
      nextCursor: more ? String(page[page.length - 1].id) : null,
    };
  }

  #entry(row: Record<string, unknown>): OperationEntry {
    const moduleId = (row.module as string | null) ?? null;
    return {
      id: String(row.id),
      at: timestampToIso(row.at) as string,
      actor: (row.actor as string | null) ?? null,
      ip: (row.ip as string | null) ?? null,
      userAgent: (row.user_agent as string | null) ?? null,
      action: String(row.action),
      module: moduleId === null ? null : (this.catalog.byId(moduleId)?.name ?? moduleId),
      moduleId,
      recordId: (row.record_id as string | null) ?? null,
      details: typeof row.details === 'string' ? JSON.parse(row.details) : (row.details ?? null),
    };
  }
}
