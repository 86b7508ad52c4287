import { sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { timestampToIso, toNumber } from '../fields/shared.ts';
import type { Db } from '../storage/db.ts';
import { diffRows } from '../subtables/diff-rows.ts';
import type { Row } from '../subtables/prepare-rows.ts';
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
  const derived = derivedFields(module);
  for (const field of module.fields) {
    // rollups and what follows from them change with other records: not this record's history
    if (derived.has(field.name)) continue;
    const sub = module.subtables.find((s) => s.field === field);
    if (sub) {
      const rows = diffRows(
        sub,
        before?.[field.name] as Row[] | undefined,
        after?.[field.name] as Row[] | undefined,
      );
      if (rows) changes[field.name] = { rows };
      continue;
    }
    const from = before?.[field.name] ?? null;
    const to = after?.[field.name] ?? null;
    if (same(from, to)) continue;
    changes[field.name] = { ...(before ? { from } : {}), ...(after ? { to } : {}) };
  }
  return changes;
}

const derivedCache = new WeakMap<CompiledModule, ReadonlySet<string>>();

/** Fields whose values derive from other records: rollups and formulas reading them. */
export function derivedFields(module: CompiledModule): ReadonlySet<string> {
  let names = derivedCache.get(module);
  if (!names) {
    names = new Set([...module.rollups.map((f) => f.name), ...module.afterRollups.map((f) => f.field.name)]);
    derivedCache.set(module, names);
  }
  return names;
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
