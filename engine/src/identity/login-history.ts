import { type SQL, sql } from 'drizzle-orm';
import { EngineError } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Page } from '../records/types.ts';
import type { Row } from '../storage/db.ts';
import { type IdentityContext, nowIso } from './context.ts';
import { isUuid } from './inputs.ts';
import { type ClientInfo, LOGIN_RESULTS, type LoginHistoryEntry, type LoginResult } from './types.ts';

export interface LoginHistoryQuery {
  userId?: string;
  /** Exactly as typed at login (lowercased), which finds attempts on unknown usernames too. */
  username?: string;
  result?: LoginResult;
  /** ISO date-times: from (inclusive) … to (exclusive). */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  count?: boolean;
}

export const MAX_HISTORY_PAGE = 500;

function toEntry(row: Row): LoginHistoryEntry {
  return {
    id: Number(row.id),
    at: timestampToIso(row.at) as string,
    userId: (row.user_id as string | null) ?? null,
    username: row.username as string,
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    result: row.result as LoginResult,
  };
}

function badQuery(parameter: string, message: string): EngineError {
  return new EngineError('invalid-query', `${parameter}: ${message}`, [
    { pointer: `/${parameter}`, code: 'invalid', message },
  ]);
}

function instant(text: string, parameter: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw badQuery(parameter, 'must be an ISO 8601 date or date-time');
  return new Date(time).toISOString();
}

/** Every login attempt, successful or not: when, from where, with what result. Append-only. */
export class LoginHistory {
  constructor(private readonly ctx: IdentityContext) {}

  async record(
    attempt: { userId: string | null; username: string; result: LoginResult },
    client: ClientInfo,
  ): Promise<void> {
    await this.ctx.db.run(
      sql`INSERT INTO ${this.ctx.t.loginHistory} (user_id, username, at, ip, user_agent, result)
          VALUES (${attempt.userId}, ${attempt.username.slice(0, 254)}, ${nowIso(this.ctx)}, ${client.ip ?? null},
                  ${client.userAgent?.slice(0, 500) ?? null}, ${attempt.result})`,
    );
  }

  /** Newest first, a page at a time. */
  async search(query: LoginHistoryQuery = {}): Promise<Page<LoginHistoryEntry>> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_HISTORY_PAGE);
    const where: SQL[] = [];
    if (query.userId !== undefined) {
      if (!isUuid(query.userId)) throw badQuery('userId', 'must be a user id');
      where.push(sql`user_id = ${query.userId}`);
    }
    if (query.username !== undefined) where.push(sql`username = ${query.username.toLowerCase()}`);
    if (query.result !== undefined) {
      if (!LOGIN_RESULTS.includes(query.result)) {
        throw badQuery('result', `must be one of: ${LOGIN_RESULTS.join(', ')}`);
      }
      where.push(sql`result = ${query.result}`);
    }
    if (query.from !== undefined) where.push(sql`at >= ${instant(query.from, 'from')}`);
    if (query.to !== undefined) where.push(sql`at < ${instant(query.to, 'to')}`);
    const filter = where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
    let after = sql``;
    if (query.cursor !== undefined) {
      if (!/^\d{1,18}$/.test(query.cursor)) throw badQuery('cursor', 'is not a cursor this list gave');
      after = sql`${where.length > 0 ? sql`AND` : sql`WHERE`} id < ${query.cursor}`;
    }
    const rows = await this.ctx.db.query(
      sql`SELECT id, at, user_id, username, ip, user_agent, result FROM ${this.ctx.t.loginHistory}
          ${filter} ${after} ORDER BY id DESC LIMIT ${limit + 1}`,
    );
    const data = rows.slice(0, limit).map(toEntry);
    const page: Page<LoginHistoryEntry> = {
      data,
      nextCursor: rows.length > limit ? String(data[data.length - 1].id) : null,
    };
    if (query.count) {
      const [{ total }] = await this.ctx.db.query<{ total: number | string }>(
        sql`SELECT count(*) AS total FROM ${this.ctx.t.loginHistory} ${filter}`,
      );
      page.total = Number(total);
    }
    return page;
  }
}
