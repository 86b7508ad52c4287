import type { CompiledSubtable } from '../compile/module.ts';
import type { RowChanges } from '../records/types.ts';
import type { Row } from './prepare-rows.ts';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A row as stored and read back: its id, then each field of the sub-table (null when empty). */
export function rowValues(sub: CompiledSubtable, row: Row): Row {
  const out: Row = { id: row.id };
  for (const field of sub.fields) out[field.name] = row[field.name] ?? null;
  return out;
}

/** Row-level differences of a sub-table, by row id; undefined when nothing changed (order included). */
export function diffRows(
  sub: CompiledSubtable,
  before: Row[] | null | undefined,
  after: Row[] | null | undefined,
): RowChanges | undefined {
  const old = before ?? [];
  const next = after ?? [];
  const oldById = new Map(old.map((row, i) => [row.id, { row, i }]));
  const newIds = new Set(next.map((row) => row.id));
  const changes: RowChanges = { added: [], changed: [], removed: [] };
  next.forEach((row, i) => {
    const previous = oldById.get(row.id);
    if (!previous) {
      changes.added.push({ position: i, ...rowValues(sub, row) });
      return;
    }
    const fields: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of sub.fields) {
      const from = previous.row[field.name] ?? null;
      const to = row[field.name] ?? null;
      if (!same(from, to)) fields[field.name] = { from, to };
    }
    const moved = previous.i !== i;
    if (Object.keys(fields).length > 0 || moved) {
      changes.changed.push({
        id: String(row.id),
        ...(moved ? { position: { from: previous.i, to: i } } : {}),
        fields,
      });
    }
  });
  old.forEach((row, i) => {
    if (!newIds.has(row.id)) changes.removed.push({ position: i, ...rowValues(sub, row) });
  });
  const count = changes.added.length + changes.changed.length + changes.removed.length;
  return count > 0 ? changes : undefined;
}

/**
 * The rows as they were before `changes` (a history entry's `rows`) was made to them: added rows
 * taken out, changed fields set back, removed rows put back, each row at its former position.
 */
export function undoRowChanges(rows: Row[], changes: RowChanges): Row[] {
  const added = new Set(changes.added.map((row) => row.id));
  const changed = new Map(changes.changed.map((change) => [change.id, change]));
  const slots: { at: number; row: Row }[] = [];
  rows.forEach((row, i) => {
    if (added.has(row.id)) return;
    const change = changed.get(String(row.id));
    const restored: Row = { ...row };
    for (const [name, { from }] of Object.entries(change?.fields ?? {})) restored[name] = from;
    slots.push({ at: change?.position?.from ?? i, row: restored });
  });
  for (const { position, ...row } of changes.removed) {
    slots.push({ at: typeof position === 'number' ? position : slots.length, row });
  }
  return slots.sort((a, b) => a.at - b.at).map((slot) => slot.row);
}
