import type { CompiledModule } from '../compile/module.ts';
import { SYSTEM_FIELDS } from '../definitions/names.ts';
import { EngineError, type Problem, pointerOf } from '../errors.ts';
import { isEmpty } from '../records/prepare.ts';
import type { HistoryEntry, RecordValues } from '../records/types.ts';
import type { FieldAccess } from './policy.ts';

const SYSTEM = new Set<string>(SYSTEM_FIELDS);

/** Whether the actor may see a field (system fields always). */
export function mayRead(access: FieldAccess, name: string): boolean {
  return access.all || SYSTEM.has(name) || access.readable.has(name);
}

/** The record without the fields the actor may not read. */
export function withoutHiddenFields<T extends RecordValues>(
  record: T,
  module: CompiledModule,
  access: FieldAccess,
): T {
  if (access.all) return record;
  for (const field of module.fields) {
    if (!access.readable.has(field.name)) delete record[field.name];
  }
  return record;
}

/** History entries without the changes of fields the actor may not read. */
export function historyWithoutHiddenFields(entries: HistoryEntry[], access: FieldAccess): HistoryEntry[] {
  if (access.all) return entries;
  return entries.map((entry) => ({
    ...entry,
    changes: Object.fromEntries(Object.entries(entry.changes).filter(([name]) => mayRead(access, name))),
  }));
}

/**
 * Refuses input that writes a field the actor may not write. On an update (`changed`: the fields
 * it changes), any mention of a field they cannot read (answered as unknown, so neither its
 * existence nor its value shows) and a changed read-only field; on a create, a value for either
 * (empty values, which a form sends for fields left blank, pass). Computed and system fields are
 * ignored, as the record service ignores them.
 */
export function checkWritable(
  module: CompiledModule,
  access: FieldAccess,
  input: unknown,
  changed: ReadonlySet<string> | 'create',
): void {
  if (access.all || typeof input !== 'object' || input === null) return;
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(input)) {
    const field = module.byName.get(name);
    if (!field || field.computed || access.writable.has(name)) continue;
    if (changed === 'create' && isEmpty(value)) continue;
    if (!access.readable.has(name)) {
      problems.push({
        pointer: pointerOf(name),
        code: 'additionalProperties',
        message: 'is not a known field',
        messages: { en: 'is not a known field', 'zh-CN': '不是已知字段' },
      });
    } else if (changed === 'create' || changed.has(name)) {
      problems.push({
        pointer: pointerOf(name),
        code: 'read-only',
        message: 'you may not change this field',
        messages: { en: 'you may not change this field', 'zh-CN': '没有修改此字段的权限' },
      });
    }
  }
  if (problems.length > 0) {
    const names = problems.map((p) => p.pointer.slice(1)).join(', ');
    throw new EngineError('invalid-record', `the record is not valid (${names})`, problems);
  }
}
