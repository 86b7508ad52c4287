import { sql } from 'drizzle-orm';
import { type IdentityContext, nowIso } from './context.ts';
import { randomSecret, secretHash } from './secrets.ts';
import type { SessionSettings } from './settings.ts';
import type { ClientInfo, IssuedSession } from './types.ts';

/** How long a session's last use may lag behind: touching it on every request would write every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

const MAX_USER_AGENT = 500;

/** When a session ends if unused from `lastSeen` on: idle timeout, capped by the absolute lifetime. */
export function sessionEnd(settings: SessionSettings, createdAt: number, lastSeen: number): number {
  return Math.min(createdAt + settings.absoluteHours * 3_600_000, lastSeen + settings.idleMinutes * 60_000);
}

/**
 * Server-side sessions. The client holds a random 256-bit id; the database only its SHA-256, so
 * a copy of the table opens no session. Each session has its own CSRF token.
 */
export class SessionService {
  constructor(private readonly ctx: IdentityContext) {}

  /** A brand-new session (a new id on every login, so an id planted before login is worth nothing). */
  async issue(userId: string, client: ClientInfo): Promise<IssuedSession> {
    const { sessions: settings } = await this.ctx.settings.get();
    const now = this.ctx.clock().getTime();
    const id = randomSecret();
    const csrfToken = randomSecret();
    const expiresAt = new Date(sessionEnd(settings, now, now)).toISOString();
    const nowText = new Date(now).toISOString();
    await this.ctx.db.run(
      sql`INSERT INTO ${this.ctx.t.sessions} (id_hash, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
          VALUES (${secretHash(id)}, ${userId}, ${csrfToken}, ${client.ip ?? null},
                  ${client.userAgent?.slice(0, MAX_USER_AGENT) ?? null}, ${nowText}, ${nowText}, ${expiresAt})`,
    );
    // sessions nobody ended (closed browsers) would pile up: each login sweeps its user's expired ones
    await this.ctx.db.run(
      sql`DELETE FROM ${this.ctx.t.sessions} WHERE user_id = ${userId} AND expires_at <= ${nowText}`,
    );
    return { id, csrfToken, expiresAt };
  }

  /** Ends the session whose id the client holds (logout). */
  async end(sessionId: string): Promise<void> {
    await this.endByHash(secretHash(sessionId));
  }

  async endByHash(idHash: string): Promise<void> {
    await this.ctx.db.run(sql`DELETE FROM ${this.ctx.t.sessions} WHERE id_hash = ${idHash}`);
  }

  /** Ends every session of the user (logout everywhere), but `exceptHash` when given; returns how many. */
  async endAll(userId: string, options: { exceptHash?: string } = {}): Promise<number> {
    return this.ctx.db.run(
      sql`DELETE FROM ${this.ctx.t.sessions} WHERE user_id = ${userId}
          ${options.exceptHash ? sql`AND id_hash <> ${options.exceptHash}` : sql``}`,
    );
  }

  /** Records a use: the idle timeout starts again from now. */
  async touch(idHash: string, settings: SessionSettings, createdAt: number): Promise<void> {
    const now = this.ctx.clock().getTime();
    await this.ctx.db.run(
      sql`UPDATE ${this.ctx.t.sessions}
          SET last_seen_at = ${nowIso(this.ctx)}, expires_at = ${new Date(sessionEnd(settings, createdAt, now)).toISOString()}
          WHERE id_hash = ${idHash}`,
    );
  }
}
