import type { CompiledModule } from '../compile/module.ts';
import type { Actor, RecordValues, StoredRecord } from './types.ts';

export type WriteEvent = 'create' | 'update' | 'delete';

/**
 * Code that takes part in record writes (plugins). Before hooks run before anything is written and
 * may change the values or throw to refuse the write; after hooks run once it has committed, and
 * their failures never undo it (they are the hooks' own to report).
 */
export interface RecordWriteHooks {
  /** Whether any hook concerns the module (writes of other modules skip the hook calls). */
  concerns(module: CompiledModule): boolean;
  beforeCreate(module: CompiledModule, values: RecordValues, actor: Actor): Promise<RecordValues>;
  beforeUpdate(
    module: CompiledModule,
    patch: RecordValues,
    current: StoredRecord,
    actor: Actor,
  ): Promise<RecordValues>;
  beforeDelete(module: CompiledModule, current: StoredRecord, actor: Actor): Promise<void>;
  after(event: WriteEvent, module: CompiledModule, record: StoredRecord, actor: Actor): Promise<void>;
}

export function isValues(input: unknown): input is RecordValues {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}
