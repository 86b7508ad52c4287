import type { CompiledModule } from '../compile/module.ts';
import { timestampToIso, toNumber } from '../fields/shared.ts';
import type { Row } from '../storage/db.ts';
import type { RecordValues, StoredRecord } from './types.ts';

/** A table row as the record the API returns. */
export function rowToRecord(module: CompiledModule, row: Row, only?: ReadonlySet<string>): StoredRecord {
  const record: RecordValues = {
    id: row.id,
    version: toNumber(row.version),
    owner: row.owner ?? null,
    created_at: timestampToIso(row.created_at),
    created_by: row.created_by ?? null,
    updated_at: timestampToIso(row.updated_at),
    updated_by: row.updated_by ?? null,
  };
  for (const field of module.fields) {
    if (only && !only.has(field.name)) continue;
    // many-relation fields come as one array read from their join table (see links.ts)
    const columns = field.linkTable ? [field.name] : field.columns;
    if (columns.length === 0) continue;
    const raw = columns.map((c) => row[c] ?? null);
    record[field.name] = raw.every((v) => v === null) ? null : field.fromColumns(raw);
  }
  return record as StoredRecord;
}

/** Field values (API form) to column values; absent and null values become SQL NULL. */
export function valuesToColumns(module: CompiledModule, values: RecordValues): Map<string, unknown> {
  const columns = new Map<string, unknown>();
  for (const field of module.fields) {
    if (field.columns.length === 0) continue;
    const value = values[field.name];
    const raw =
      value === null || value === undefined ? field.columns.map(() => null) : field.toColumns(value);
    for (const [i, column] of field.columns.entries()) columns.set(column, raw[i] ?? null);
  }
  return columns;
}

/** The values of the module's fields only (no system fields), absent ones as null. */
export function fieldValues(module: CompiledModule, record: RecordValues): RecordValues {
  const values: RecordValues = {};
  for (const field of module.fields) values[field.name] = record[field.name] ?? null;
  return values;
}
