import type { Problem } from '../errors.ts';
import { optionsOf } from '../fields/options.ts';
import type { ModuleDefinition, PoolDefinition } from './types.ts';

const FIELD_TYPES: Record<'claimedAtField' | 'returnedAtField' | 'reasonField', string> = {
  claimedAtField: 'datetime',
  returnedAtField: 'datetime',
  reasonField: 'select',
};

/** The fields a module's pool writes exist, have the type it writes, and the release reason is an option. */
export function checkPool(definition: ModuleDefinition): Problem[] {
  const pool = definition.pool;
  if (!pool) return [];
  const problems: Problem[] = [];
  const byName = new Map(definition.fields.map((field) => [field.name, field]));
  for (const [key, type] of Object.entries(FIELD_TYPES) as [
    keyof PoolDefinition & keyof typeof FIELD_TYPES,
    string,
  ][]) {
    const name = pool[key];
    if (name === undefined) continue;
    const field = byName.get(name);
    if (!field)
      problems.push({ pointer: `/pool/${key}`, code: 'definition', message: `no field named '${name}'` });
    else if (field.type !== type) {
      problems.push({
        pointer: `/pool/${key}`,
        code: 'definition',
        message: `'${name}' is a ${field.type} field; the pool writes a ${type} there`,
      });
    }
  }
  if (pool.releaseReason !== undefined) {
    const reason = pool.reasonField ? byName.get(pool.reasonField) : undefined;
    if (!pool.reasonField) {
      problems.push({
        pointer: '/pool/releaseReason',
        code: 'definition',
        message: 'a release reason needs a reasonField to write it to',
      });
    } else if (reason?.type === 'select' && !optionsOf(reason).some((o) => o.value === pool.releaseReason)) {
      problems.push({
        pointer: '/pool/releaseReason',
        code: 'definition',
        message: `'${pool.releaseReason}' is not an option of '${pool.reasonField}'`,
      });
    }
  }
  return problems;
}
