import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Row } from '../storage/db.ts';
import { type IdentityContext, nowIso } from './context.ts';
import { checkInput, inputProblem, invalidInput, isUuid } from './inputs.ts';
import { randomSecret, secretHash } from './secrets.ts';
import type { ApiTokenInfo, TokenScope } from './types.ts';

/** Tokens start with this, so they are recognizable in logs and by secret scanners. */
export const TOKEN_PREFIX = 'crm_';

/** How long a token's last use may lag behind (see SESSION_TOUCH_INTERVAL_MS). */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

export interface NewApiToken {
  name: string;
  scopes: TokenScope[];
  /** ISO date-time; none: valid until revoked. */
  expiresAt?: string | null;
}

const COLUMNS = sql.raw('id, name, scopes, expires_at, revoked_at, last_used_at, created_at');

function toTokenInfo(row: Row): ApiTokenInfo {
  return {
    id: row.id as string,
    name: row.name as string,
    scopes: row.scopes as TokenScope[],
    expiresAt: timestampToIso(row.expires_at),
    revokedAt: timestampToIso(row.revoked_at),
    lastUsedAt: timestampToIso(row.last_used_at),
    createdAt: timestampToIso(row.created_at) as string,
  };
}

/** Personal API tokens: named, scoped, optionally expiring, revocable; stored as their SHA-256 only. */
export class ApiTokenService {
  constructor(private readonly ctx: IdentityContext) {}

  /** A new token for the user; `token` is the secret, shown this once and never again. */
  async create(userId: string, input: NewApiToken): Promise<{ token: string; info: ApiTokenInfo }> {
    const data = checkInput<NewApiToken>('newToken', input);
    const now = this.ctx.clock();
    if (data.expiresAt && Date.parse(data.expiresAt) <= now.getTime()) {
      throw invalidInput([
        inputProblem('/expiresAt', 'past', { en: 'must be in the future', 'zh-CN': '必须是将来的时间' }),
      ]);
    }
    const [user] = await this.ctx.db.query<{ is_admin: boolean }>(
      sql`SELECT is_admin FROM ${this.ctx.t.users} WHERE id = ${userId} AND status = 'active'`,
    );
    if (!user) throw notFound(`user '${userId}'`);
    if (data.scopes.includes('admin') && !user.is_admin) {
      throw invalidInput([
        inputProblem(`/scopes/${data.scopes.indexOf('admin')}`, 'not-admin', {
          en: 'only admins may give a token the admin scope',
          'zh-CN': '只有管理员可以创建带 admin 权限范围的令牌',
        }),
      ]);
    }
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const [row] = await this.ctx.db.query(
      sql`INSERT INTO ${this.ctx.t.apiTokens} (id, user_id, name, token_hash, scopes, expires_at, created_at)
          VALUES (${uuidv7()}, ${userId}, ${data.name}, ${secretHash(token)},
                  ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(data.scopes)}::jsonb)),
                  ${data.expiresAt ? new Date(data.expiresAt).toISOString() : null}, ${now.toISOString()})
          RETURNING ${COLUMNS}`,
    );
    return { token, info: toTokenInfo(row) };
  }

  /** The user's tokens, newest first (revoked ones too, with when). */
  async list(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.ctx.db.query(
      sql`SELECT ${COLUMNS} FROM ${this.ctx.t.apiTokens} WHERE user_id = ${userId} ORDER BY created_at DESC, id DESC`,
    );
    return rows.map(toTokenInfo);
  }

  /** Revokes one of the user's tokens: it stops working at once. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const found = isUuid(tokenId)
      ? await this.ctx.db.run(
          sql`UPDATE ${this.ctx.t.apiTokens} SET revoked_at = coalesce(revoked_at, ${nowIso(this.ctx)})
              WHERE id = ${tokenId} AND user_id = ${userId}`,
        )
      : 0;
    if (found === 0) throw notFound(`token '${tokenId}'`);
  }

  async touch(tokenId: string): Promise<void> {
    await this.ctx.db.run(
      sql`UPDATE ${this.ctx.t.apiTokens} SET last_used_at = ${nowIso(this.ctx)} WHERE id = ${tokenId}`,
    );
  }
}
