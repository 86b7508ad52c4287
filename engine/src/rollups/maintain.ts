/**
 * Keeps stored rollups current inside the transaction that writes their source rows.
 *
 * Order matters under READ COMMITTED: a statement's snapshot does not include a transaction that
 * commits while the statement waits for a row lock. So a writer first locks the records whose rollups
 * it will change (one statement per module, in id order, modules in id order: no deadlock between
 * writers), then writes, then recomputes each rollup from scratch in SQL (no deltas): by then every
 * earlier writer of those records has committed and the recomputing statement sees its rows.
 *
 * Rollups are derived values: recomputing them does not bump the record's version nor write history.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { derivedFields } from '../records/history.ts';
import { SYSTEM_COLUMNS } from '../records/statements.ts';
import { storeFormulas } from '../records/store-formulas.ts';
import type { RecordValues } from '../records/types.ts';
import { type Db, type PreparedStatement, prepareStatement, type Row as TableRow } from '../storage/db.ts';
import { diffRows } from '../subtables/diff-rows.ts';
import type { Row } from '../subtables/prepare-rows.ts';
import type { DerivedChanges } from './derived-changes.ts';
import type { RollupFeed } from './feeds.ts';
import { rollupSubquery } from './sources.ts';

/** Records whose rollups need recomputing: module id → record ids. */
export type Touched = Map<string, Set<string>>;

/** Cascades deeper than this mean a cycle slipped past the publish check. */
const MAX_DEPTH = 32;

function add(touched: Touched, moduleId: string, id: unknown) {
  if (typeof id !== 'string') return;
  let ids = touched.get(moduleId);
  if (!ids) {
    ids = new Set();
    touched.set(moduleId, ids);
  }
  ids.add(id);
}

function differs(before: RecordValues, after: RecordValues, names: string[]): boolean {
  return names.some((n) => JSON.stringify(before[n] ?? null) !== JSON.stringify(after[n] ?? null));
}

export class RollupUpkeep {
  /** Per module version, prepared: its rollups' recompute for records `ids`, and the lock of records `ids`. */
  readonly #statements = new WeakMap<
    CompiledModule,
    { recompute: PreparedStatement; lock: PreparedStatement }
  >();

  constructor(
    private readonly catalog: ModuleCatalog,
    /** The instant formulas reading today() or now() see. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Whether writes to `module`'s records can change rollups (theirs or other records'). */
  concerns(module: CompiledModule): boolean {
    return this.catalog.feeds(module.id).length > 0 || module.rollups.length > 0;
  }

  /**
   * The records whose rollups writing record `id` of `module` from `before` to `after` can change
   * (`before` undefined: a create; `after` undefined: a delete): those its relation fields (or its
   * rows' relation fields) point at before and after, and the record itself for its own sub-tables.
   */
  touched(module: CompiledModule, id: string, before?: RecordValues, after?: RecordValues): Touched {
    const touched: Touched = new Map();
    const either = (b?: RecordValues, a?: RecordValues) => [b, a].filter((v): v is RecordValues => !!v);
    for (const feed of this.catalog.feeds(module.id)) {
      const { source, target } = feed;
      if (!source.subtable) {
        const link = (source.link as { name: string }).name;
        if (before && after && !differs(before, after, feed.relevant)) continue;
        for (const values of either(before, after)) add(touched, target.id, values[link]);
        continue;
      }
      const sub = module.subtables.find((s) => s.field.definition.id === source.subtable?.id);
      if (!sub) continue;
      const rowsBefore = (before?.[sub.name] as Row[] | undefined) ?? [];
      const rowsAfter = (after?.[sub.name] as Row[] | undefined) ?? [];
      // a change of the parent fields the filter reads can count or drop every row
      if (before && after && source.link && differs(before, after, feed.parentRelevant)) {
        for (const row of [...rowsBefore, ...rowsAfter]) add(touched, target.id, row[source.link.name]);
        continue;
      }
      const changes = diffRows(sub, rowsBefore, rowsAfter);
      if (!changes) continue;
      if (!source.link) {
        if (after) add(touched, target.id, id);
        continue;
      }
      const link = source.link.name;
      const changedIds = new Set(changes.changed.map((c) => c.id));
      for (const row of [...changes.added, ...changes.removed]) add(touched, target.id, row[link]);
      for (const row of [...rowsBefore, ...rowsAfter])
        if (changedIds.has(String(row.id))) add(touched, target.id, row[link]);
    }
    return touched;
  }

  /** Locks the touched records, module by module in id order, each module's in one statement in id order. */
  async lock(tx: Db, touched: Touched): Promise<void> {
    for (const moduleId of [...touched.keys()].sort()) {
      const module = this.catalog.byId(moduleId);
      const ids = [...(touched.get(moduleId) ?? [])].sort();
      if (!module || ids.length === 0) continue;
      await tx.execute(this.#prepared(module).lock, { ids });
    }
  }

  /**
   * Recomputes the rollups of the touched records from their sources, then the formulas reading
   * them, then (cascading) the rollups over those records. Call after `lock` and the writes.
   * `changes` keeps the records it changes, for observers of their updates.
   */
  async recompute(tx: Db, touched: Touched, changes?: DerivedChanges, depth = 0): Promise<void> {
    if (depth > MAX_DEPTH) throw new Error('rollups cascade too deep: is there a cycle?');
    for (const moduleId of [...touched.keys()].sort()) {
      const module = this.catalog.byId(moduleId);
      const ids = [...(touched.get(moduleId) ?? [])].sort();
      if (!module || ids.length === 0 || module.rollups.length === 0) continue;
      if (changes && (await changes.keeps(tx, module))) await changes.before(tx, module, ids);
      // the new values come back with the rows: formulas and the cascade need no second read
      const rows = await tx.execute(this.#prepared(module).recompute, { ids });
      await this.#formulas(tx, module, rows);
      const next = this.#cascade(module, rows);
      if (next.size > 0) {
        await this.lock(tx, next);
        await this.recompute(tx, next, changes, depth + 1);
      }
    }
  }

  /** Computes every rollup of `module` for all its records, and the formulas reading them (a publish). */
  async backfill(tx: Db, module: CompiledModule, feeds: readonly RollupFeed[]): Promise<void> {
    if (feeds.length === 0) return;
    await tx.run(this.#update(module, feeds));
    if (module.afterRollups.length === 0) return;
    const table = this.catalog.tableSql(module);
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows = await tx.query(
        sql`SELECT * FROM ${table} WHERE id > ${after}::uuid ORDER BY id LIMIT 500`,
      );
      if (rows.length === 0) return;
      await this.#formulas(tx, module, rows);
      after = String(rows[rows.length - 1].id);
    }
  }

  /** `UPDATE <module> t SET <rollup> = (<aggregate>), …` for the given feeds. */
  #update(module: CompiledModule, feeds: readonly RollupFeed[]): SQL {
    const assignments = feeds.map(
      (feed) =>
        sql`${sql.identifier(feed.rollup.columns[0])} = ${rollupSubquery(
          this.catalog.schema,
          feed.rollup.definition,
          feed.source,
          sql`t`,
        )}`,
    );
    return sql`UPDATE ${this.catalog.tableSql(module)} t SET ${sql.join(assignments, sql`, `)}`;
  }

  #prepared(module: CompiledModule) {
    let statements = this.#statements.get(module);
    if (!statements) {
      const ids = sql`ANY(${sql.placeholder('ids')}::uuid[])`;
      statements = {
        recompute: prepareStatement(
          // columns by name, never `*`: a publish changing the columns must change the text (plan caches)
          sql`${this.#update(module, this.catalog.rollupsOf(module.id))} WHERE t.id = ${ids} RETURNING ${sql.join(
            [...SYSTEM_COLUMNS, ...module.fields.flatMap((f) => f.columns)].map(
              (c) => sql`t.${sql.identifier(c)}`,
            ),
            sql`, `,
          )}`,
        ),
        lock: prepareStatement(
          sql`SELECT id FROM ${this.catalog.tableSql(module)} WHERE id = ${ids} ORDER BY id FOR UPDATE`,
        ),
      };
      this.#statements.set(module, statements);
    }
    return statements;
  }

  /** The formulas that read rollups, computed again for the table rows `rows` and stored where they changed. */
  #formulas(tx: Db, module: CompiledModule, rows: TableRow[]) {
    return storeFormulas(tx, this.catalog, module, rows, module.afterRollups, this.clock());
  }

  /** The records whose rollups aggregate fields of `module`'s records (table `rows`) that follow from their rollups. */
  #cascade(module: CompiledModule, rows: TableRow[]): Touched {
    const derived = derivedFields(module);
    const next: Touched = new Map();
    const feeds = this.catalog
      .feeds(module.id)
      .filter((f) => !f.source.subtable && f.relevant.some((name) => derived.has(name)));
    for (const feed of feeds) {
      const link = (feed.source.link as { name: string }).name;
      for (const row of rows) add(next, feed.target.id, row[link]);
    }
    return next;
  }
}
