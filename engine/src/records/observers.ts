import type { CompiledModule } from '../compile/module.ts';
import type { Db } from '../storage/db.ts';
import type { Actor, StoredRecord } from './types.ts';

export type RecordWriteKind = 'created' | 'updated' | 'deleted';

/** A record write as observers see it: the full stored values before and after (no field rights applied). */
export interface RecordWrite {
  module: CompiledModule;
  kind: RecordWriteKind;
  id: string;
  /** Null for a create. */
  before: StoredRecord | null;
  /** Null for a delete. */
  after: StoredRecord | null;
  actor: Actor;
}

/**
 * Work done in the SAME transaction as a record write (workflow triggers start their instances
 * there): the write and its consequences commit or roll back together. A write nobody watches keeps
 * its single-statement path; a watched one runs in a transaction.
 */
export interface RecordObserver {
  /** Whether writes of `kind` to `module` by `actor` concern this observer (anything it reads, through `db`). */
  watches(module: CompiledModule, kind: RecordWriteKind, actor: Actor, db: Db): Promise<boolean>;
  written(tx: Db, write: RecordWrite): Promise<void>;
}

/** The observers of a record service. */
export class RecordObservers {
  readonly #observers: RecordObserver[] = [];

  add(observer: RecordObserver): void {
    this.#observers.push(observer);
  }

  async watched(module: CompiledModule, kind: RecordWriteKind, actor: Actor, db: Db): Promise<boolean> {
    for (const observer of this.#observers) if (await observer.watches(module, kind, actor, db)) return true;
    return false;
  }

  async written(tx: Db, write: RecordWrite): Promise<void> {
    for (const observer of this.#observers) {
      if (await observer.watches(write.module, write.kind, write.actor, tx))
        await observer.written(tx, write);
    }
  }
}
