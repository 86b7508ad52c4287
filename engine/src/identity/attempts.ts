import { sql } from 'drizzle-orm';
import { timestampToIso } from '../fields/shared.ts';
import type { IdentityContext } from './context.ts';

export type AttemptGate = { open: true } | { open: false; retryAfterSeconds: number };

/**
 * Counts password attempts against an account and locks it with a doubling backoff. An attempt is
 * counted as failed *before* the password is checked, in one statement that also refuses it while
 * the account is locked, so a burst of parallel guesses gets no more tries than a sequence would;
 * a right password then clears the count.
 */
export class PasswordAttempts {
  constructor(private readonly ctx: IdentityContext) {}

  async begin(userId: string): Promise<AttemptGate> {
    const { lockout } = await this.ctx.settings.get();
    const now = this.ctx.clock();
    const nowText = now.toISOString();
    const [counted] = await this.ctx.db.query<{ failed_logins: number }>(
      sql`UPDATE ${this.ctx.t.users}
          SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= ${lockout.threshold}
                THEN ${nowText}::timestamptz + make_interval(secs => least(
                  ${lockout.baseSeconds}::float8 * power(2, least(failed_logins + 1 - ${lockout.threshold}, 30)),
                  ${lockout.maxSeconds}::float8))
                ELSE locked_until END
          WHERE id = ${userId} AND (locked_until IS NULL OR locked_until <= ${nowText}::timestamptz)
          RETURNING failed_logins`,
    );
    if (counted) return { open: true };
    const [row] = await this.ctx.db.query<{ locked_until: unknown }>(
      sql`SELECT locked_until FROM ${this.ctx.t.users} WHERE id = ${userId}`,
    );
    const until = Date.parse(timestampToIso(row?.locked_until) ?? nowText);
    return { open: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
  }

  /** The password was right: the count starts over and any lock is lifted. */
  async succeed(userId: string): Promise<void> {
    await this.ctx.db.run(
      sql`UPDATE ${this.ctx.t.users} SET failed_logins = 0, locked_until = NULL
          WHERE id = ${userId} AND (failed_logins <> 0 OR locked_until IS NOT NULL)`,
    );
  }

  /** An admin lifts the lock by hand. */
  async reset(userId: string): Promise<void> {
    await this.ctx.db.run(
      sql`UPDATE ${this.ctx.t.users} SET failed_logins = 0, locked_until = NULL WHERE id = ${userId}`,
    );
  }
}
