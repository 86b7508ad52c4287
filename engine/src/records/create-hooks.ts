import type { CompiledModule } from '../compile/module.ts';
import type { Db } from '../storage/db.ts';
import type { Actor, HistoryEntry, RecordValues } from './types.ts';

/** A record on its way into its table; hooks may still fill in values (and their history entries). */
export interface NewRecord {
  id: string;
  owner: string | null;
  /** created_at, ISO 8601. */
  now: string;
  actor: Actor;
  /** The field values to store. */
  values: RecordValues;
  /** The create's history entry. */
  changes: HistoryEntry['changes'];
}

/**
 * Work a create needs done in its own transaction, around the insert of its row(s): numbering
 * (autonumbers), claiming uploaded files. A module with hooks is created in a transaction per
 * batch; one without keeps the single-statement insert.
 */
export interface CreateHook {
  beforeInsert?(tx: Db, module: CompiledModule, records: NewRecord[]): Promise<void>;
  afterInsert?(tx: Db, module: CompiledModule, records: NewRecord[]): Promise<void>;
}

/** The hooks that concern a module (by its fields), worked out once per compiled module version. */
export class CreateHooks {
  readonly #cache = new WeakMap<CompiledModule, CreateHook[]>();

  constructor(private readonly providers: ((module: CompiledModule) => CreateHook | undefined)[]) {}

  of(module: CompiledModule): CreateHook[] {
    let hooks = this.#cache.get(module);
    if (!hooks) {
      hooks = this.providers.map((provide) => provide(module)).filter((h) => h !== undefined);
      this.#cache.set(module, hooks);
    }
    return hooks;
  }

  /** Inserts `records` with `insert`, in one transaction with the module's hooks around it. */
  async run(db: Db, module: CompiledModule, records: NewRecord[], insert: (db: Db) => Promise<unknown>) {
    const hooks = this.of(module);
    if (hooks.length === 0) return insert(db);
    return db.transaction(async (tx) => {
      for (const hook of hooks) await hook.beforeInsert?.(tx, module, records);
      await insert(tx);
      for (const hook of hooks) await hook.afterInsert?.(tx, module, records);
    });
  }
}
