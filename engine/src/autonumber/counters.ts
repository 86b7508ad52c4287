import { sql } from 'drizzle-orm';
import type { CompiledField, CompiledModule } from '../compile/module.ts';
import { autonumberPattern, autonumberStart } from '../fields/autonumber.ts';
import type { CreateHook, NewRecord } from '../records/create-hooks.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { formatNumber, localDate, type ParsedPattern, parsePattern, periodKey } from './pattern.ts';

export const COUNTERS_TABLE = '_autonumber_counters';

interface NumberedField {
  field: CompiledField;
  pattern: ParsedPattern;
  start: number;
}

/**
 * Takes `count` consecutive numbers from the counter of (module, field, period) and gives the first.
 * The counter row stays locked until the caller's transaction ends: a create that rolls back gives
 * its numbers back, and the creates of one module and period wait for each other (that is the price
 * of numbers without gaps).
 */
export async function takeNumbers(
  tx: Db,
  schema: string,
  key: { moduleId: string; fieldId: string; period: string },
  count: number,
  start: number,
): Promise<number> {
  const [row] = await tx.query<{ value: string | number }>(
    sql`INSERT INTO ${sql.raw(qualified(schema, COUNTERS_TABLE))} AS c (module_id, field_id, period, value)
        VALUES (${key.moduleId}, ${key.fieldId}, ${key.period}, ${start - 1 + count})
        ON CONFLICT (module_id, field_id, period) DO UPDATE SET value = c.value + ${count}
        RETURNING value`,
  );
  return Number(row.value) - count + 1;
}

/** Gives each new record of a module with autonumber fields its numbers, inside the create's transaction. */
export function autonumberHook(schema: string) {
  return (module: CompiledModule): CreateHook | undefined => {
    const fields: NumberedField[] = [];
    for (const field of module.fields) {
      if (field.definition.type !== 'autonumber') continue;
      const pattern = parsePattern(autonumberPattern(field.definition));
      // checked at publish; a definition that slipped through numbers nothing rather than failing creates
      if ('error' in pattern) continue;
      fields.push({ field, pattern, start: autonumberStart(field.definition) });
    }
    if (fields.length === 0) return undefined;
    return {
      async beforeInsert(tx: Db, _module: CompiledModule, records: NewRecord[]) {
        for (const { field, pattern, start } of fields) {
          const byPeriod = new Map<string, { record: NewRecord; date: ReturnType<typeof localDate> }[]>();
          for (const record of records) {
            const date = localDate(new Date(record.now));
            const period = periodKey(pattern, date);
            const batch = byPeriod.get(period);
            if (batch) batch.push({ record, date });
            else byPeriod.set(period, [{ record, date }]);
          }
          // in a fixed order, so two batches never wait for each other's counters in a cycle
          for (const period of [...byPeriod.keys()].sort()) {
            const batch = byPeriod.get(period) ?? [];
            const key = { moduleId: module.id, fieldId: field.definition.id, period };
            const first = await takeNumbers(tx, schema, key, batch.length, start);
            for (const [i, { record, date }] of batch.entries()) {
              const value = formatNumber(pattern, date, first + i);
              record.values[field.name] = value;
              record.changes[field.name] = { to: value };
            }
          }
        }
      },
    };
  };
}
