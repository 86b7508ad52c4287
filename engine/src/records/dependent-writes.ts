import { sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError, notFound, type Problem, pointerOf } from '../errors.ts';
import { relationSettings } from '../fields/relation.ts';
import type { DerivedChanges } from '../rollups/derived-changes.ts';
import { RollupUpkeep, type Touched } from '../rollups/maintain.ts';
import type { Db } from '../storage/db.ts';
import { rowValues } from '../subtables/diff-rows.ts';
import type { Row } from '../subtables/prepare-rows.ts';
import { loadRows, saveRows } from '../subtables/store-rows.ts';
import type { RecordValues } from './types.ts';

/**
 * What a record write carries besides the record's own row: its sub-table rows and the rollups it
 * changes (its own and other records'). All of it runs in the writing transaction:
 * `prepare` before the record's row is written, `finish` after.
 */
export class DependentWrites {
  readonly upkeep: RollupUpkeep;

  constructor(
    private readonly catalog: ModuleCatalog,
    clock?: () => Date,
  ) {
    this.upkeep = new RollupUpkeep(catalog, clock);
  }

  /**
   * Whether a write changes the record's own columns besides those it writes (its rollups and the
   * formulas over them): read its row back. Its sub-table rows are known (`rowsFrom`).
   */
  rereads(module: CompiledModule): boolean {
    return module.rollups.length > 0;
  }

  /** The sub-table rows of values just written, as `attachRows` would read them back. */
  rowsFrom(module: CompiledModule, values: RecordValues): RecordValues {
    const rows: RecordValues = {};
    for (const sub of module.subtables) {
      rows[sub.name] = ((values[sub.name] as Row[] | undefined) ?? []).map((row) => rowValues(sub, row));
    }
    return rows;
  }

  /** Whether writing `module`'s records involves more than their own row (so needs a transaction). */
  needed(module: CompiledModule): boolean {
    return module.subtables.length > 0 || this.upkeep.concerns(module);
  }

  /** Adds the rows of `subs` (all sub-tables by default) to each record. */
  async attachRows<T extends RecordValues>(
    db: Db,
    module: CompiledModule,
    records: T[],
    subs = module.subtables,
  ): Promise<T[]> {
    if (subs.length === 0 || records.length === 0) return records;
    const rows = await loadRows(
      db,
      this.catalog.schema,
      module,
      records.map((r) => String(r.id)),
      subs,
    );
    for (const record of records) Object.assign(record, rows.get(String(record.id)));
    return records;
  }

  /**
   * Before the record's row is written: the rows' relations checked (errors pointing at the row),
   * the records whose rollups change locked. `before` undefined for a create, `after` for a delete.
   */
  async prepare(
    tx: Db,
    module: CompiledModule,
    id: string,
    before: RecordValues | undefined,
    after: RecordValues | undefined,
  ): Promise<Touched> {
    if (after) await this.#checkRowTargets(tx, module, after);
    const touched = this.upkeep.touched(module, id, before, after);
    // the record itself is locked already (an update, a delete) or not there yet (a create)
    const others = new Map([...touched].map(([m, ids]) => [m, new Set([...ids].filter((i) => i !== id))]));
    await this.upkeep.lock(tx, others);
    // the record's own rollups (and formulas reading them) follow from what was just written
    if (after && module.rollups.length > 0) {
      const own = touched.get(module.id) ?? new Set<string>();
      own.add(id);
      touched.set(module.id, own);
    }
    return touched;
  }

  /** After the record's row is written (or deleted): its rows stored, the touched rollups recomputed. */
  async finish(
    tx: Db,
    module: CompiledModule,
    id: string,
    before: RecordValues | undefined,
    after: RecordValues | undefined,
    touched: Touched,
    changes?: DerivedChanges,
  ): Promise<void> {
    if (after) await saveRows(tx, this.catalog.schema, module, id, before, after);
    await this.upkeep.recompute(tx, touched, changes);
  }

  /**
   * A record back from the recycle bin counts again for the rollups over it: lock what it touches
   * (like a create) before it is restored, recompute after (`recompute`). Its rows never left.
   */
  async prepareRestore(tx: Db, module: CompiledModule, id: string, record: RecordValues): Promise<Touched> {
    const [withRows] = await this.attachRows(tx, module, [{ ...record }]);
    return this.prepare(tx, module, id, undefined, withRows);
  }

  async recompute(tx: Db, touched: Touched, changes?: DerivedChanges): Promise<void> {
    await this.upkeep.recompute(tx, touched, changes);
  }

  /** Relations inside rows must point at existing records: checked first so the error names the row. */
  async #checkRowTargets(tx: Db, module: CompiledModule, values: RecordValues): Promise<void> {
    const problems: Problem[] = [];
    for (const sub of module.subtables) {
      const rows = (values[sub.name] as Row[] | undefined) ?? [];
      for (const field of sub.fields) {
        if (field.definition.type !== 'relation') continue;
        const ids = [
          ...new Set(rows.map((r) => r[field.name]).filter((v): v is string => typeof v === 'string')),
        ];
        if (ids.length === 0) continue;
        const target = this.catalog.byId(relationSettings(field.definition).target);
        if (!target) continue;
        const found = await tx.query<{ id: string }>(
          sql`SELECT id FROM ${this.catalog.tableSql(target)} WHERE id = ANY(${sql.param(ids)}::uuid[])`,
        );
        const existing = new Set(found.map((r) => r.id));
        rows.forEach((row, i) => {
          const value = row[field.name];
          if (typeof value !== 'string' || existing.has(value)) return;
          const message = `no ${target.name} record has this id`;
          problems.push({
            pointer: pointerOf(sub.name, i, field.name),
            code: 'relation',
            message,
            messages: { en: message, 'zh-CN': '关联的记录不存在' },
          });
        });
      }
    }
    if (problems.length > 0) throw new EngineError('invalid-record', 'the record is not valid', problems);
  }

  /** The sub-table `name` of `module`, or not found. */
  subtable(module: CompiledModule, name: string) {
    const sub = module.subtables.find((s) => s.name === name);
    if (!sub) throw notFound(`sub-table '${name}' of module '${module.name}'`);
    return sub;
  }
}
