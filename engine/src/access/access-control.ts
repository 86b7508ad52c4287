import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { ACCESS_CHANNEL, onLocalAccessChange } from './announce.ts';
import { Policy } from './policy.ts';
import { loadPolicy } from './policy-loader.ts';
import { type AccessTables, accessTables } from './predicate.ts';

const SYSTEM_POLICY = Policy.unrestricted(null);

/**
 * Hands out each actor's policy, cached per user in memory. Any change to roles, assignments,
 * users or departments (announced with `announceAccessChange`, from any server) drops the cache.
 */
export class AccessControl {
  readonly tables: AccessTables;
  readonly #cache = new Map<string, Promise<Policy>>();
  /** Bumped by each change: a policy read before it is not cached after it. */
  #generation = 0;

  constructor(
    private readonly db: Db,
    readonly workspaceId: string,
    readonly schema: string,
  ) {
    this.tables = accessTables(schema);
  }

  policyOf(actor: Actor): Promise<Policy> {
    const userId = actor.userId;
    if (userId === null) return Promise.resolve(SYSTEM_POLICY);
    let policy = this.#cache.get(userId);
    if (!policy) {
      const generation = this.#generation;
      policy = loadPolicy(this.db, this.schema, userId);
      this.#cache.set(userId, policy);
      policy.then(
        () => {
          if (generation !== this.#generation) this.#forget(userId, policy);
        },
        () => this.#forget(userId, policy),
      );
    }
    return policy;
  }

  /** Whether the actor administers the workspace (the system does). */
  async isAdmin(actor: Actor): Promise<boolean> {
    return (await this.policyOf(actor)).unrestricted;
  }

  #forget(userId: string, policy: Promise<Policy> | undefined): void {
    if (this.#cache.get(userId) === policy) this.#cache.delete(userId);
  }

  invalidate(): void {
    this.#generation++;
    this.#cache.clear();
  }

  /** Drops the cache whenever any server announces an access change in this workspace. */
  async follow(): Promise<() => Promise<void>> {
    const unlistenLocal = onLocalAccessChange(this.workspaceId, () => this.invalidate());
    const unlisten = await this.db.listen(ACCESS_CHANNEL, (workspaceId) => {
      if (workspaceId === this.workspaceId) this.invalidate();
    });
    return async () => {
      unlistenLocal();
      await unlisten();
    };
  }
}
