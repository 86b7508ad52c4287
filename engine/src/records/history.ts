import { sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { timestampToIso, toNumber } from '../fields/shared.ts';
import type { Db } from '../storage/db.ts';
import type { HistoryEntry, RecordValues } from './types.ts';

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Field-level differences between two versions of a record's values. */
export function diffValues(
  module: CompiledModule,
  before: RecordValues | undefined,
  after: RecordValues | undefined,
): HistoryEntry['changes'] {
  const changes: HistoryEntry['changes'] = {};
  for (const field of module.fields) {
    const from = before?.[field.name] ?? null;
    const to = after?.[field.name] ?? null;
    if (same(from, to)) continue;
    changes[field.name] = { ...(before ? { from } : {}), ...(after ? { to } : {}) };
  }
  return changes;
}

export async function readHistory(
  db: Db,
  historyTable: ReturnType<typeof sql.raw>,
  moduleId: string,
  recordId: string,
  options: { beforeVersion?: number; limit: number },
): Promise<HistoryEntry[]> {
  const rows = await db.query<Record<string, unknown>>(
    sql`SELECT version, op, at, actor, changes, reverted_to FROM ${historyTable}
        WHERE module_id = ${moduleId} AND record_id = ${recordId}
        ${options.beforeVersion !== undefined ? sql`AND version < ${options.beforeVersion}` : sql``}
        ORDER BY version DESC, id DESC LIMIT ${options.limit}`,
  );
  return rows.map((r) => ({
    version: toNumber(r.version) as number,
    op: r.op as HistoryEntry['op'],
    at: timestampToIso(r.at) as string,
    actor: (r.actor as string | null) ?? null,
    changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as HistoryEntry['changes'],
    ...(r.reverted_to === null || r.reverted_to === undefined
      ? {}
      : { revertedTo: toNumber(r.reverted_to) as number }),
  }));
}
