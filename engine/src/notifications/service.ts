import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { LocaleText } from '../definitions/types.ts';
import { EngineError } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Clock } from '../identity/clock.ts';
import { UUID } from '../records/literals.ts';
import type { Page } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';

/** A text shown to users: one string, or one per locale (`{ en, 'zh-CN' }`). */
export type NotificationText = string | LocaleText;

/** Where a notification leads: a record, a workflow instance, a task. */
export interface NotificationLink {
  module?: string;
  recordId?: string;
  instanceId?: string;
  taskId?: string;
}

export interface NotificationInput {
  /** User ids; repeated ids get one notification, ids of no user (or a deactivated one) none. */
  recipients: readonly string[];
  /** What happened, for filtering and icons: `approval-task`, `approval-cc`, `workflow`, … */
  kind: string;
  title: NotificationText;
  body?: NotificationText | null;
  link?: NotificationLink | null;
}

export interface Notification {
  id: string;
  kind: string;
  title: NotificationText;
  body: NotificationText | null;
  link: NotificationLink | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationQuery {
  unreadOnly?: boolean;
  /** Page size, 1–200 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

const MAX_LIMIT = 200;

function invalid(
  pointer: string,
  message: string,
  kind: 'invalid-query' | 'invalid-input' = 'invalid-query',
): never {
  throw new EngineError(kind, `${pointer.slice(1)}: ${message}`, [
    { pointer, code: 'invalid-parameter', message },
  ]);
}

/** jsonb columns are read as text (`::text`): drivers differ in what they make of a JSON string. */
function parsed(value: unknown): unknown {
  return value === null || value === undefined ? null : JSON.parse(String(value));
}

/**
 * In-app notifications: written inside the transaction of whatever caused them (an approval step, a
 * workflow's notify action), read by each user for themselves only.
 */
export class NotificationService {
  readonly #table;
  readonly #users;

  constructor(
    private readonly db: Db,
    schema: string,
    private readonly clock: Clock,
  ) {
    this.#table = sql.raw(qualified(schema, '_notifications'));
    this.#users = sql.raw(qualified(schema, '_users'));
  }

  /** Sends one notification to each (active) recipient; returns how many were written. */
  async send(input: NotificationInput, db: Db = this.db): Promise<number> {
    const recipients = [...new Set(input.recipients.filter((id) => UUID.test(id)))];
    if (recipients.length === 0) return 0;
    const rows = recipients.map((recipient) => ({ id: uuidv7(), recipient }));
    const now = this.clock().toISOString();
    const written = await db.query<{ id: string }>(
      sql`INSERT INTO ${this.#table} (id, recipient, kind, title, body, link, created_at)
          SELECT r.id, r.recipient, ${input.kind}, ${JSON.stringify(input.title)}::jsonb,
                 ${input.body == null ? null : JSON.stringify(input.body)}::jsonb,
                 ${input.link == null ? null : JSON.stringify(input.link)}::jsonb, ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r (id uuid, recipient uuid)
          JOIN ${this.#users} u ON u.id = r.recipient AND u.status = 'active'
          RETURNING id`,
    );
    return written.length;
  }

  /** A user's notifications, newest first, with the count of unread ones. */
  async list(
    userId: string,
    query: NotificationQuery = {},
  ): Promise<Page<Notification> & { unread: number }> {
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      invalid('/limit', `must be an integer from 1 to ${MAX_LIMIT}`);
    }
    if (query.cursor !== undefined && !UUID.test(query.cursor)) invalid('/cursor', 'is not a cursor');
    const rows = await this.db.query<Record<string, unknown>>(
      sql`SELECT id, kind, title::text, body::text, link::text, created_at, read_at FROM ${this.#table}
          WHERE recipient = ${userId}
            ${query.unreadOnly ? sql`AND read_at IS NULL` : sql``}
            ${query.cursor === undefined ? sql`` : sql`AND id < ${query.cursor}`}
          ORDER BY id DESC LIMIT ${limit + 1}`,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      data: page.map((row) => ({
        id: String(row.id),
        kind: String(row.kind),
        title: parsed(row.title) as NotificationText,
        body: (parsed(row.body) ?? null) as NotificationText | null,
        link: (parsed(row.link) ?? null) as NotificationLink | null,
        createdAt: timestampToIso(row.created_at) as string,
        readAt: timestampToIso(row.read_at),
      })),
      nextCursor: more ? String(page[page.length - 1]?.id) : null,
      unread: await this.unreadCount(userId),
    };
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number | string }>(
      sql`SELECT count(*) AS n FROM ${this.#table} WHERE recipient = ${userId} AND read_at IS NULL`,
    );
    return Number(row?.n ?? 0);
  }

  /** Marks the user's own notifications read (the given ids, or all); returns how many changed. */
  async markRead(userId: string, ids?: readonly string[]): Promise<number> {
    if (ids) {
      ids.forEach((id, i) => {
        if (!UUID.test(id)) invalid(`/ids/${i}`, 'must be a notification id (uuid)', 'invalid-input');
      });
      if (ids.length === 0) return 0;
    }
    const now = this.clock().toISOString();
    const rows = await this.db.query<{ id: string }>(
      sql`UPDATE ${this.#table} SET read_at = ${now}::timestamptz
          WHERE recipient = ${userId} AND read_at IS NULL
            ${ids ? sql`AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)` : sql``}
          RETURNING id`,
    );
    return rows.length;
  }
}
