import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import type { PoolDefinition } from '../definitions/types.ts';
import { EngineError, localizedError } from '../errors.ts';
import { optionsOf } from '../fields/options.ts';
import type { Db } from '../storage/db.ts';
import type { RecordValues } from './types.ts';

/** The pool of a module; a module without one has nothing to claim or release (422). */
export function poolOf(module: CompiledModule): PoolDefinition {
  const pool = module.definition.pool;
  if (!pool) {
    throw localizedError('invalid-input', '', 'no-pool', {
      en: `${module.name} records have no pool to claim from or release to`,
      'zh-CN': `${module.name} 模块没有公海，不能领取或退回`,
    });
  }
  return pool;
}

export const notClaimable = (module: CompiledModule) =>
  localizedError('forbidden', '', 'forbidden', {
    en: `you may not claim ${module.name} records from the pool`,
    'zh-CN': '您的角色不能从公海领取此类记录',
  });

export const alreadyClaimed = (module: CompiledModule) =>
  localizedError('conflict', '/owner', 'claimed', {
    en: `this ${module.name} record is not in the pool (someone claimed it)`,
    'zh-CN': '该记录已不在公海中（已被他人领取）',
  });

export const notInPool = (module: CompiledModule) =>
  localizedError('conflict', '/owner', 'not-owned', {
    en: `this ${module.name} record is already in the pool`,
    'zh-CN': '该记录已在公海中',
  });

export const mayNotRelease = (module: CompiledModule) =>
  localizedError('forbidden', '', 'forbidden', {
    en: `only the owner or someone who may reassign it releases this ${module.name} record`,
    'zh-CN': '只有负责人或有分配权限的人可以将该记录退回公海',
  });

/**
 * Refuses a claim that would give the user more than the pool's limit of records. Claims by one user
 * take turns (a transaction-scoped advisory lock), so two at once cannot both pass the count.
 */
export async function checkClaimLimit(
  tx: Db,
  module: CompiledModule,
  table: SQL,
  pool: PoolDefinition,
  userId: string,
): Promise<void> {
  const limit = pool.claimLimit;
  if (limit === undefined) return;
  await tx.run(sql`SELECT pg_advisory_xact_lock(hashtext(${`pool:${module.id}:${userId}`}))`);
  const [row] = await tx.query<{ owned: number }>(
    sql`SELECT count(*)::int AS owned FROM ${table} WHERE owner = ${userId} AND deleted_at IS NULL`,
  );
  const owned = Number(row?.owned ?? 0);
  if (owned >= limit) {
    throw new EngineError(
      'invalid-record',
      `claim limit reached: you own ${owned} ${module.name} records and the pool allows ${limit}`,
      [
        {
          pointer: '/owner',
          code: 'claim-limit',
          message: `claim limit reached: you own ${owned} ${module.name} records and the pool allows ${limit}`,
          messages: {
            en: `claim limit reached: you own ${owned} ${module.name} records and the pool allows ${limit}`,
            'zh-CN': `已达领取上限：您已负责 ${owned} 条记录，公海上限为 ${limit} 条`,
          },
        },
      ],
      { claimLimit: limit, owned },
    );
  }
}

/** What a claim writes: the claimant as owner and, when the pool names it, the time of the claim. */
export function claimPatch(pool: PoolDefinition, userId: string, now: Date): RecordValues {
  return { owner: userId, ...(pool.claimedAtField ? { [pool.claimedAtField]: now.toISOString() } : {}) };
}

/**
 * What a release writes: no owner, the time and the reason (given, else the pool's default) in the
 * fields the pool names. A reason that is not an option of the reason field is a 422 on `/reason`.
 */
export function releasePatch(
  module: CompiledModule,
  pool: PoolDefinition,
  reason: unknown,
  now: Date,
): RecordValues {
  const patch: RecordValues = { owner: null };
  if (pool.returnedAtField) patch[pool.returnedAtField] = now.toISOString();
  if (!pool.reasonField) return patch;
  const chosen = reason ?? pool.releaseReason;
  const field = module.byName.get(pool.reasonField);
  const options = field ? optionsOf(field.definition) : [];
  if (typeof chosen !== 'string' || !options.some((o) => o.value === chosen)) {
    const allowed = options.map((o) => o.value).join(', ');
    throw localizedError('invalid-record', '/reason', chosen === undefined ? 'required' : 'enum', {
      en: `reason: ${chosen === undefined ? 'required' : 'not an option'} (one of ${allowed})`,
      'zh-CN': `reason：${chosen === undefined ? '必填' : '不是可选值'}（可选：${allowed}）`,
    });
  }
  patch[pool.reasonField] = chosen;
  return patch;
}
