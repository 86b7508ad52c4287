import { sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import { feelInput } from '../compile/formula-values.ts';
import type { CompiledModule } from '../compile/module.ts';
import { fromFeelValue } from '../expressions/index.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { storeFormulas } from './store-formulas.ts';
import type { RecordValues } from './types.ts';

const BATCH = 500;

/** The day of `at` in the process time zone (`CRM_TIMEZONE`), as today() reads it. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/**
 * Formulas reading today() or now() (days since the last contact, overdue) change with time, not
 * only when their record is saved. Their stored values — what lists show, filter and sort by — are
 * computed again for all of a module's records on the first read of the module each day (and after a
 * publish of a new version); saves compute them as of the write. So a today() formula is always
 * right; a now() formula is exact on save and on the record page (`freshen`), and as of the day's
 * first read in lists. No transaction: each batch is one statement (a reader inside another write's
 * transaction must not wait for a second connection), and two servers refreshing at once only
 * repeat each other's work.
 */
export class ClockFormulas {
  /** Per compiled module version: the day its stored values were last known fresh on this server. */
  readonly #fresh = new WeakMap<CompiledModule, string>();

  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
    private readonly clock: () => Date,
  ) {}

  /** Makes the stored values of `module`'s clock formulas today's, if they are not yet. */
  async refresh(module: CompiledModule): Promise<void> {
    if (module.clockFormulas.length === 0) return;
    const at = this.clock();
    const day = localDay(at);
    if (this.#fresh.get(module) === day) return;
    const marks = sql.raw(qualified(this.catalog.schema, '_clock_formulas'));
    const [mark] = await this.db.query<{ day: string; version: number }>(
      sql`SELECT day, version FROM ${marks} WHERE module_id = ${module.id}`,
    );
    if (!mark || mark.day !== day || Number(mark.version) !== module.version) {
      const table = this.catalog.tableSql(module);
      for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
        const rows = await this.db.query(
          sql`SELECT * FROM ${table} WHERE id > ${after}::uuid ORDER BY id LIMIT ${BATCH}`,
        );
        if (rows.length === 0) break;
        await storeFormulas(this.db, this.catalog, module, rows, module.clockFormulas, at);
        after = String(rows[rows.length - 1].id);
      }
      await this.db.run(
        sql`INSERT INTO ${marks} (module_id, day, version, refreshed_at)
            VALUES (${module.id}, ${day}, ${module.version}, ${at.toISOString()})
            ON CONFLICT (module_id) DO UPDATE SET day = EXCLUDED.day, version = EXCLUDED.version,
              refreshed_at = EXCLUDED.refreshed_at`,
      );
    }
    this.#fresh.set(module, day);
  }
}

/** Sets `record`'s clock formulas to their values at `at` (a record page shows them exact). */
export function freshen(module: CompiledModule, record: RecordValues, at: Date): void {
  for (const { field, expression, result } of module.clockFormulas) {
    record[field.name] =
      fromFeelValue(expression.evaluate(feelInput(module, record), at).value, result) ?? null;
  }
}
