import { sql } from 'drizzle-orm';
import { timestampToIso } from '../fields/shared.ts';
import { type PreparedStatement, prepareStatement, type Row } from '../storage/db.ts';
import type { IdentityContext } from './context.ts';
import { ipAllowed } from './ip-allowlist.ts';
import { secretHash } from './secrets.ts';
import { SESSION_TOUCH_INTERVAL_MS, type SessionService, sessionEnd } from './sessions.ts';
import { SETTING_KEYS, settingsPart } from './settings.ts';
import { rolesOfUserSql } from './tables.ts';
import { type ApiTokenService, TOKEN_PREFIX, TOKEN_TOUCH_INTERVAL_MS } from './tokens.ts';
import type { ClientInfo, Principal, TokenScope } from './types.ts';

export type Authentication =
  | { ok: true; principal: Principal }
  /** No such session or token, or it ended (expired, revoked, logged out, the user left). */
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'left' }
  /** Valid, but used from an address an allowlist does not admit. */
  | { ok: false; reason: 'ip-denied' };

const time = (value: unknown): number => Date.parse(timestampToIso(value) ?? '');

/**
 * Turns the secret a request carries (session cookie or bearer token) into who it is. One prepared
 * statement per request reads the credential, its user, the user's roles and the settings that
 * apply; a use is written back at most once a minute.
 */
export class Authenticator {
  readonly #bySession: PreparedStatement;
  readonly #byToken: PreparedStatement;

  constructor(
    private readonly ctx: IdentityContext,
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
  ) {
    const t = ctx.t;
    const userColumns = sql`u.id AS user_id, u.username, u.display_name, u.is_admin, u.status, u.locale, u.department_id,
      ARRAY(SELECT r.role_id FROM (${rolesOfUserSql(t, sql`u.id`)}) r ORDER BY r.role_id) AS roles,
      (SELECT jsonb_object_agg(key, value) FROM ${t.settings}
        WHERE key IN (${sql.raw(`'${SETTING_KEYS.sessions}', '${SETTING_KEYS.ipAllowlist}'`)})) AS settings`;
    this.#bySession = prepareStatement(
      sql`SELECT s.id_hash, s.csrf_token, s.created_at, s.last_seen_at, ${userColumns}
          FROM ${t.sessions} s JOIN ${t.users} u ON u.id = s.user_id WHERE s.id_hash = ${sql.placeholder('hash')}`,
    );
    this.#byToken = prepareStatement(
      sql`SELECT k.id AS token_id, k.scopes, k.expires_at, k.revoked_at, k.last_used_at, ${userColumns}
          FROM ${t.apiTokens} k JOIN ${t.users} u ON u.id = k.user_id WHERE k.token_hash = ${sql.placeholder('hash')}`,
    );
  }

  async bySession(sessionId: string, client: ClientInfo): Promise<Authentication> {
    const idHash = secretHash(sessionId);
    const [row] = await this.ctx.db.execute(this.#bySession, { hash: idHash });
    if (!row) return { ok: false, reason: 'unknown' };
    const settings = this.#settings(row);
    const now = this.ctx.clock().getTime();
    const created = time(row.created_at);
    const lastSeen = time(row.last_seen_at);
    if (row.status !== 'active') {
      await this.sessions.endByHash(idHash);
      return { ok: false, reason: 'left' };
    }
    if (now >= sessionEnd(settings.sessions, created, lastSeen)) {
      await this.sessions.endByHash(idHash);
      return { ok: false, reason: 'expired' };
    }
    const principal = this.#principal(row, 'session');
    if (!ipAllowed(settings.ipAllowlist, client.ip, principal.roles))
      return { ok: false, reason: 'ip-denied' };
    if (now - lastSeen >= SESSION_TOUCH_INTERVAL_MS)
      await this.sessions.touch(idHash, settings.sessions, created);
    principal.session = { idHash, csrfToken: row.csrf_token as string };
    return { ok: true, principal };
  }

  async byToken(token: string, client: ClientInfo): Promise<Authentication> {
    if (!token.startsWith(TOKEN_PREFIX)) return { ok: false, reason: 'unknown' };
    const [row] = await this.ctx.db.execute(this.#byToken, { hash: secretHash(token) });
    if (!row) return { ok: false, reason: 'unknown' };
    const now = this.ctx.clock().getTime();
    if (row.revoked_at !== null && row.revoked_at !== undefined) return { ok: false, reason: 'revoked' };
    if (row.expires_at !== null && row.expires_at !== undefined && now >= time(row.expires_at)) {
      return { ok: false, reason: 'expired' };
    }
    if (row.status !== 'active') return { ok: false, reason: 'left' };
    const principal = this.#principal(row, 'token');
    if (!ipAllowed(this.#settings(row).ipAllowlist, client.ip, principal.roles)) {
      return { ok: false, reason: 'ip-denied' };
    }
    const lastUsed = row.last_used_at === null ? 0 : time(row.last_used_at);
    if (now - lastUsed >= TOKEN_TOUCH_INTERVAL_MS) await this.tokens.touch(row.token_id as string);
    principal.token = { id: row.token_id as string, scopes: row.scopes as TokenScope[] };
    return { ok: true, principal };
  }

  #settings(row: Row) {
    const stored = (typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings) as Record<
      string,
      unknown
    > | null;
    return {
      sessions: settingsPart('sessions', stored?.[SETTING_KEYS.sessions]),
      ipAllowlist: settingsPart('ipAllowlist', stored?.[SETTING_KEYS.ipAllowlist]),
    };
  }

  #principal(row: Row, via: Principal['via']): Principal {
    return {
      user: {
        id: row.user_id as string,
        username: row.username as string,
        displayName: row.display_name as string,
        isAdmin: row.is_admin === true,
        locale: (row.locale as string | null) ?? null,
        departmentId: (row.department_id as string | null) ?? null,
      },
      roles: (row.roles as string[] | null) ?? [],
      via,
    };
  }
}
