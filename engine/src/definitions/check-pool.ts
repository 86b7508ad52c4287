import type { Problem } from '../errors.ts';
import { optionsOf } from '../fields/options.ts';
import type { ModuleDefinition, PoolDefinition } from './types.ts';

/** The field types the pool writes into, per setting (exported for the designer's field pickers). */
export const POOL_FIELD_TYPES: Record<'claimedAtField' | 'returnedAtField' | 'reasonField', string> = {
  claimedAtField: 'datetime',
  returnedAtField: 'datetime',
  reasonField: 'select',
};

const problem = (key: keyof PoolDefinition, en: string, zh: string): Problem => ({
  pointer: `/pool/${key}`,
  code: 'definition',
  message: en,
  messages: { en, 'zh-CN': zh },
});

/** The fields a module's pool writes exist, have the type it writes, and the release reason is an option. */
export function checkPool(definition: ModuleDefinition): Problem[] {
  const pool = definition.pool;
  if (!pool) return [];
  const problems: Problem[] = [];
  const byName = new Map(definition.fields.map((field) => [field.name, field]));
  for (const [key, type] of Object.entries(POOL_FIELD_TYPES) as [
    keyof PoolDefinition & keyof typeof POOL_FIELD_TYPES,
    string,
  ][]) {
    const name = pool[key];
    if (name === undefined) continue;
    const field = byName.get(name);
    if (!field) problems.push(problem(key, `no field named '${name}'`, `没有名为“${name}”的字段`));
    else if (field.type !== type) {
      problems.push(
        problem(
          key,
          `'${name}' is a ${field.type} field; the pool writes a ${type} there`,
          `“${name}”是 ${field.type} 字段，公海在此写入 ${type}`,
        ),
      );
    }
  }
  if (pool.releaseReason !== undefined) {
    const reason = pool.reasonField ? byName.get(pool.reasonField) : undefined;
    if (!pool.reasonField) {
      problems.push(
        problem(
          'releaseReason',
          'a release reason needs a reasonField to write it to',
          '默认退回原因需要先指定原因字段',
        ),
      );
    } else if (reason?.type === 'select' && !optionsOf(reason).some((o) => o.value === pool.releaseReason)) {
      problems.push(
        problem(
          'releaseReason',
          `'${pool.releaseReason}' is not an option of '${pool.reasonField}'`,
          `“${pool.releaseReason}”不是“${pool.reasonField}”的选项`,
        ),
      );
    }
  }
  return problems;
}
