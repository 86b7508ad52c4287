import type { CompiledModule } from '../compile/module.ts';
import { derivedFields } from '../records/history.ts';
import type { StoredRecord } from '../records/types.ts';
import type { Db } from '../storage/db.ts';

/** How a write's derived changes are watched and read: only modules someone watches are read at all. */
export interface DerivedWatch {
  /** Whether updates of `module`'s records are observed (for the actor of the write). */
  watches(tx: Db, module: CompiledModule): Promise<boolean>;
  /** The live record `id` of `module`, sub-table rows included (undefined: in the recycle bin). */
  read(tx: Db, module: CompiledModule, id: string): Promise<StoredRecord | undefined>;
}

/**
 * The records of other modules whose rollups (and the formulas over them) one write changed, each as
 * it was before the write's first recompute and after its last: a cascade that reaches a record twice
 * still makes one change, so its observers see it once per write.
 */
export class DerivedChanges {
  readonly #records = new Map<string, { module: CompiledModule; id: string; before: StoredRecord }>();
  readonly #watched = new Map<string, boolean>();

  constructor(
    private readonly watch: DerivedWatch,
    /** The record the write itself changes: its observers see it already. */
    private readonly own: { moduleId: string; id: string },
  ) {}

  /** Whether `module`'s changes are kept (asked once per module and write). */
  async keeps(tx: Db, module: CompiledModule): Promise<boolean> {
    let watched = this.#watched.get(module.id);
    if (watched === undefined) {
      watched = derivedFields(module).size > 0 && (await this.watch.watches(tx, module));
      this.#watched.set(module.id, watched);
    }
    return watched;
  }

  /** Before a recompute of records `ids` of `module`: keeps each one's values the first time it is seen. */
  async before(tx: Db, module: CompiledModule, ids: string[]): Promise<void> {
    for (const id of ids) {
      const key = `${module.id}/${id}`;
      if (this.#records.has(key) || (module.id === this.own.moduleId && id === this.own.id)) continue;
      const before = await this.watch.read(tx, module, id);
      if (before) this.#records.set(key, { module, id, before });
    }
  }

  /** Each kept record whose derived values differ now, with its values before and after. */
  async *changed(
    tx: Db,
  ): AsyncGenerator<{ module: CompiledModule; before: StoredRecord; after: StoredRecord }> {
    for (const { module, id, before } of this.#records.values()) {
      const after = await this.watch.read(tx, module, id);
      if (!after) continue;
      const names = [...derivedFields(module)];
      if (names.every((n) => JSON.stringify(before[n] ?? null) === JSON.stringify(after[n] ?? null)))
        continue;
      yield { module, before, after };
    }
  }
}
