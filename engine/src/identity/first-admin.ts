import { sql } from 'drizzle-orm';
import { type EngineError, localizedError } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { type IdentityContext, nowIso } from './context.ts';
import { checkInput, inputProblem, invalidInput } from './inputs.ts';
import { randomSecret, sameSecret, secretHash } from './secrets.ts';
import type { User } from './types.ts';
import type { UserService } from './users.ts';

/** `_settings` row holding the hashes of the setup secrets printed so far (one per server start). */
const SETUP_SECRETS_KEY = 'setup_secrets';

/** Arbitrary constant: the advisory lock that makes exactly one first admin. */
const SETUP_LOCK = 727_006;

export type FirstStart =
  /** The workspace has users: nothing to do. */
  | { state: 'ready' }
  /** Made from the environment. */
  | { state: 'created'; user: User }
  /** Waiting for `POST /api/auth/setup` with this secret (print it where the operator sees it). */
  | { state: 'awaiting-setup'; secret: string };

export interface FirstAdminInput {
  secret: string;
  username: string;
  password: string;
  displayName?: string;
}

/**
 * The first admin, without any default password: made from the environment at start, or by
 * whoever can read the server's log, which shows a one-time secret. Once a user exists, neither
 * way works any more.
 */
export class FirstAdminSetup {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly users: UserService,
  ) {}

  async needed(db: Db = this.ctx.db): Promise<boolean> {
    // an active admin, not any user: imported sample people (no passwords) leave the workspace unadministered
    const [row] = await db.query(
      sql`SELECT 1 FROM ${this.ctx.t.users} WHERE is_admin AND status = 'active' LIMIT 1`,
    );
    return row === undefined;
  }

  /**
   * What a server does on start: nothing when users exist; else the admin from `username` and
   * `password` (both or neither, policy-checked), else a new setup secret.
   */
  async prepare(environment: { username?: string; password?: string }): Promise<FirstStart> {
    const { username, password } = environment;
    if ((username === undefined) !== (password === undefined)) {
      const missing = username === undefined ? '/username' : '/password';
      throw invalidInput([
        inputProblem(missing, 'required', {
          en: 'the first admin needs both a username and a password',
          'zh-CN': '首个管理员需要同时提供用户名和密码',
        }),
      ]);
    }
    if (!(await this.needed())) return { state: 'ready' };
    if (username !== undefined && password !== undefined) {
      const user = await this.#createFirst({ username, password, displayName: username });
      return user ? { state: 'created', user } : { state: 'ready' };
    }
    const secret = randomSecret();
    await this.ctx.db.run(
      sql`INSERT INTO ${this.ctx.t.settings} (key, value, updated_at)
          VALUES (${SETUP_SECRETS_KEY}, jsonb_build_array(${secretHash(secret)}::text), ${nowIso(this.ctx)})
          ON CONFLICT (key) DO UPDATE SET value = ${this.ctx.t.settings}.value || EXCLUDED.value,
            updated_at = EXCLUDED.updated_at`,
    );
    return { state: 'awaiting-setup', secret };
  }

  /** Trades a printed setup secret for the first admin; works once. */
  async complete(input: FirstAdminInput): Promise<User> {
    const data = checkInput<FirstAdminInput>('setup', {
      ...input,
      username: typeof input?.username === 'string' ? input.username.toLowerCase() : input?.username,
    });
    const user = await this.#createFirst(data, async (tx) => {
      const [row] = await tx.query<{ value: unknown }>(
        sql`SELECT value FROM ${this.ctx.t.settings} WHERE key = ${SETUP_SECRETS_KEY}`,
      );
      const value = typeof row?.value === 'string' ? JSON.parse(row.value) : row?.value;
      const hashes = Array.isArray(value) ? (value as string[]) : [];
      const presented = secretHash(data.secret);
      if (!hashes.some((hash) => sameSecret(hash, presented))) {
        const message = 'the setup secret is not the one the server printed';
        throw localizedError('forbidden', '/secret', 'invalid-secret', {
          en: message,
          'zh-CN': '设置密钥与服务器日志中打印的不一致',
        });
      }
    });
    if (!user) throw alreadySetUp();
    return user;
  }

  /** The admin, made only if there is still nobody (undefined otherwise); `guard` may refuse first. */
  async #createFirst(
    data: { username: string; password: string; displayName?: string },
    guard?: (tx: Db) => Promise<void>,
  ): Promise<User | undefined> {
    return this.ctx.db.transaction(async (tx) => {
      await tx.run(sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK}, hashtext(${this.ctx.workspaceId}))`);
      if (!(await this.needed(tx))) return undefined;
      await guard?.(tx);
      const user = await this.users.create(
        {
          username: data.username,
          password: data.password,
          displayName: data.displayName ?? data.username,
          isAdmin: true,
        },
        tx,
      );
      await tx.run(sql`DELETE FROM ${this.ctx.t.settings} WHERE key = ${SETUP_SECRETS_KEY}`);
      return user;
    });
  }
}

function alreadySetUp(): EngineError {
  const message = 'the workspace already has users; log in instead';
  return localizedError('conflict', '', 'already-set-up', {
    en: message,
    'zh-CN': '工作区已有用户，请直接登录',
  });
}
