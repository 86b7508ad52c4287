import { type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { ModuleCatalog } from '../catalog.ts';
import { localizedError, notFound } from '../errors.ts';
import type { CompiledFeel } from '../expressions/types.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Clock } from '../identity/clock.ts';
import { isUuid } from '../identity/inputs.ts';
import { randomSecret } from '../identity/secrets.ts';
import type { OutboundPolicy } from '../net/policy.ts';
import { type OutboundHttp, outboundHttp } from '../net/request.ts';
import type { RecordObserver, RecordWrite, RecordWriteKind } from '../records/observers.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { quoteIdent } from '../storage/naming.ts';
import { DEFAULT_BACKOFF, type DueWorkResult } from '../workflow/service.ts';
import { envelopeOf } from './envelope.ts';
import { checkWebhookInput, compileFilter, type WebhookInput } from './input.ts';
import { type AttemptOutcome, sendDelivery } from './send.ts';

/** NOTIFY channel telling every server that a workspace's webhooks changed (payload: its schema). */
export const WEBHOOK_CHANNEL = 'crm_webhooks';

export interface WebhookOptions {
  clock?: Clock;
  /** Wait before the next attempt after `attempt` failed ones (the workflow jobs' backoff by default). */
  backoff?: (attempt: number) => number;
  /** Attempts of a delivery before it is failed (default 6: about 5 minutes of retries). */
  maxAttempts?: number;
  /** Deliveries failed in a row after which the webhook is deactivated (default 20). */
  disableAfter?: number;
  /** The wait for an answer per attempt (default 10 s). */
  timeoutMs?: number;
  /** How long a claimed delivery is reserved for its runner (default 5 min). */
  leaseMs?: number;
  workerId?: string;
  /** Where deliveries may go (default: public addresses only). */
  outbound?: OutboundPolicy;
}

/** A subscription as admins see it: never its secret. */
export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  modules: string[];
  events: RecordWriteKind[];
  filter: string | null;
  active: boolean;
  /** Why the server deactivated it (deliveries failing in a row); null when an admin set `active`. */
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
  response: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  event: string;
  module: string | null;
  recordId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  endedAt: string | null;
  payload: unknown;
}

interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  module_ids: string[];
  events: string[];
  filter: string | null;
  active: boolean;
  secret: string;
  consecutive_failures: number;
  disabled_reason: string | null;
  created_at: unknown;
  updated_at: unknown;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event: string;
  module_id: string;
  record_id: string;
  payload: unknown;
  state: WebhookDelivery['state'];
  attempts: number;
  due_at: unknown;
  last_error: string | null;
  created_at: unknown;
  ended_at: unknown;
}

interface Subscription {
  row: WebhookRow;
  filter: CompiledFeel | null;
}

const iso = (value: unknown) => timestampToIso(value) ?? '';

/**
 * Outbound webhooks on record events. A record observer: each committed create, update or delete of a
 * module an active subscription watches (and its filter admits) becomes a delivery row written in the
 * write's own transaction, so a rolled-back write sends nothing and a committed one is never lost.
 * Deliveries are claimed like workflow jobs (SKIP LOCKED and a lease, any number of servers), POSTed
 * signed, and retried with the workflow jobs' backoff until they succeed or run out of attempts.
 */
export class WebhookService implements RecordObserver {
  readonly #tables: { webhooks: SQL; deliveries: SQL; attempts: SQL };
  readonly #clock: Clock;
  readonly #backoff: (attempt: number) => number;
  readonly #maxAttempts: number;
  readonly #disableAfter: number;
  readonly #timeoutMs: number;
  readonly #leaseMs: number;
  readonly #workerId: string;
  readonly #outbound: OutboundPolicy;
  readonly #http: OutboundHttp;
  #subscriptions: Promise<Subscription[]> | null = null;

  constructor(
    private readonly db: Db,
    readonly schema: string,
    private readonly catalog: ModuleCatalog,
    options: WebhookOptions = {},
  ) {
    const q = `${quoteIdent(schema)}.`;
    this.#tables = {
      webhooks: sql.raw(`${q}_webhooks`),
      deliveries: sql.raw(`${q}_webhook_deliveries`),
      attempts: sql.raw(`${q}_webhook_attempts`),
    };
    this.#clock = options.clock ?? (() => new Date());
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#maxAttempts = options.maxAttempts ?? 6;
    this.#disableAfter = options.disableAfter ?? 20;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#leaseMs = options.leaseMs ?? 300_000;
    this.#workerId = options.workerId ?? `webhooks-${uuidv7()}`;
    this.#outbound = options.outbound ?? {};
    this.#http = outboundHttp(this.#outbound);
  }

  /** Drops the cached subscriptions whenever any server changes them; returns the unsubscribe. */
  follow(): Promise<() => Promise<void>> {
    return this.db.listen(WEBHOOK_CHANNEL, (schema) => {
      if (schema === this.schema) this.#subscriptions = null;
    });
  }

  // Subscriptions //////////////////////////////////////////////////////////////////////////////////

  async list(): Promise<Webhook[]> {
    const rows = await this.db.query<WebhookRow>(
      sql`SELECT * FROM ${this.#tables.webhooks} ORDER BY created_at, id`,
    );
    return rows.map((row) => this.#view(row));
  }

  async get(id: string): Promise<Webhook> {
    return this.#view(await this.#row(this.db, id));
  }

  /** A new subscription with its secret, which is shown this once. */
  async create(body: unknown, actor: Actor): Promise<Webhook & { secret: string }> {
    const input = checkWebhookInput(
      body,
      false,
      (name) => this.catalog.has(name),
      this.#outbound,
    ) as WebhookInput;
    const id = uuidv7();
    const secret = randomSecret();
    const now = this.#clock().toISOString();
    await this.#changing(async (tx) => {
      await tx.run(
        sql`INSERT INTO ${this.#tables.webhooks}
            (id, url, description, module_ids, events, filter, active, secret, created_at, created_by, updated_at)
            VALUES (${id}, ${input.url}, ${input.description}, ${sql.param(this.#moduleIds(input.modules))}::text[],
              ${sql.param(input.events)}::text[], ${input.filter}, ${input.active}, ${secret}, ${now}, ${actor.userId}, ${now})`,
      );
    });
    return { ...(await this.get(id)), secret };
  }

  /** Changes any of url, description, modules, events, filter, active (activating clears the failure count). */
  async update(id: string, body: unknown): Promise<Webhook> {
    const input = checkWebhookInput(body, true, (name) => this.catalog.has(name), this.#outbound);
    await this.#changing(async (tx) => {
      const row = await this.#row(tx, id, true);
      const active = input.active ?? row.active;
      const reactivated = active && !row.active;
      await tx.run(
        sql`UPDATE ${this.#tables.webhooks} SET
              url = ${input.url ?? row.url},
              description = ${input.description === undefined ? row.description : input.description},
              module_ids = ${sql.param(input.modules ? this.#moduleIds(input.modules) : row.module_ids)}::text[],
              events = ${sql.param(input.events ?? row.events)}::text[],
              filter = ${input.filter === undefined ? row.filter : input.filter},
              active = ${active},
              disabled_reason = ${active ? null : row.disabled_reason},
              consecutive_failures = ${reactivated ? 0 : row.consecutive_failures},
              updated_at = ${this.#clock().toISOString()}
            WHERE id = ${id}`,
      );
    });
    return this.get(id);
  }

  /** Deletes the subscription and its delivery log. */
  async remove(id: string): Promise<void> {
    await this.#changing(async (tx) => {
      await this.#row(tx, id, true);
      await tx.run(sql`DELETE FROM ${this.#tables.webhooks} WHERE id = ${id}`);
    });
  }

  /** A new secret (shown this once): deliveries from now on, retries included, are signed with it. */
  async rotateSecret(id: string): Promise<{ secret: string }> {
    const secret = randomSecret();
    await this.#changing(async (tx) => {
      await this.#row(tx, id, true);
      await tx.run(
        sql`UPDATE ${this.#tables.webhooks} SET secret = ${secret}, updated_at = ${this.#clock().toISOString()}
            WHERE id = ${id}`,
      );
    });
    return { secret };
  }

  // The record observer ////////////////////////////////////////////////////////////////////////////

  async watches(module: { id: string }, kind: RecordWriteKind, _actor: Actor, db: Db): Promise<boolean> {
    return (await this.#matching(module.id, kind, db)).length > 0;
  }

  async written(tx: Db, write: RecordWrite): Promise<void> {
    const subscriptions = await this.#matching(write.module.id, write.kind, tx);
    const now = this.#clock();
    const eventId = uuidv7();
    const payload = envelopeOf(eventId, write, now);
    for (const { row, filter } of subscriptions) {
      let failure: string | null = null;
      if (filter) {
        const result = filter.evaluate({ old: write.before, new: write.after, actor: write.actor.userId });
        const failed = result.warnings.filter((warning) => warning.startsWith('Evaluation failed'));
        if (failed.length > 0) failure = `the filter failed: ${failed.join('; ')}`;
        else if (result.value !== true) continue;
      }
      // a filter that cannot be evaluated must not cost the user their write: the delivery is logged
      // as failed with the reason, and an admin can send it after fixing the filter
      await tx.run(
        sql`INSERT INTO ${this.#tables.deliveries}
            (id, webhook_id, event_id, event, module_id, record_id, payload, state, attempts, due_at,
             last_error, created_at, ended_at)
            VALUES (${uuidv7()}, ${row.id}, ${eventId}, ${payload.type}, ${write.module.id}, ${write.id},
              ${JSON.stringify(payload)}::jsonb, ${failure ? 'failed' : 'pending'}, 0,
              ${failure ? null : now.toISOString()}, ${failure}, ${now.toISOString()},
              ${failure ? now.toISOString() : null})`,
      );
    }
  }

  // Deliveries /////////////////////////////////////////////////////////////////////////////////////

  /** The newest deliveries of a webhook (at most `limit`), each with its attempts. */
  async deliveries(
    webhookId: string,
    options: { limit?: number; state?: WebhookDelivery['state'] } = {},
  ): Promise<WebhookDelivery[]> {
    await this.#row(this.db, webhookId);
    const where = options.state ? sql`AND d.state = ${options.state}` : sql``;
    return this.#deliveryViews(webhookId, where, options.limit ?? 50);
  }

  async #deliveryViews(webhookId: string, where: SQL, limit: number): Promise<WebhookDelivery[]> {
    const T = this.#tables;
    const rows = await this.db.query<DeliveryRow & { attempt_list: DeliveryAttempt[] | null }>(
      sql`SELECT d.*, (SELECT json_agg(json_build_object('at', a.at, 'status', a.status,
              'durationMs', a.duration_ms, 'error', a.error, 'response', a.response) ORDER BY a.id)
            FROM ${T.attempts} a WHERE a.delivery_id = d.id) AS attempt_list
          FROM ${T.deliveries} d
          WHERE d.webhook_id = ${webhookId} ${where}
          ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}`,
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      event: row.event,
      module: this.catalog.byId(row.module_id)?.name ?? null,
      recordId: row.record_id,
      state: row.state,
      attempts: (row.attempt_list ?? []).map((attempt) => ({ ...attempt, at: iso(attempt.at) })),
      lastError: row.last_error,
      nextAttemptAt: timestampToIso(row.due_at),
      createdAt: iso(row.created_at),
      endedAt: timestampToIso(row.ended_at),
      payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    }));
  }

  /** Sends a delivered or failed delivery again (same event id and payload, a fresh round of attempts). */
  async redeliver(webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.db.transaction(async (tx) => {
      const webhook = await this.#row(tx, webhookId, true);
      const [delivery] = isUuid(deliveryId)
        ? await tx.query<DeliveryRow>(
            sql`SELECT * FROM ${this.#tables.deliveries} WHERE id = ${deliveryId} AND webhook_id = ${webhookId}
                FOR UPDATE`,
          )
        : [];
      if (!delivery) throw notFound(`delivery '${deliveryId}'`);
      if (delivery.state === 'pending') {
        throw localizedError('conflict', '', 'pending', {
          en: 'the delivery is still being sent: wait for it to succeed or fail',
          'zh-CN': '该投递仍在发送中：请等待其成功或失败',
        });
      }
      if (!webhook.active) {
        throw localizedError('conflict', '/active', 'inactive', {
          en: 'the webhook is inactive: activate it first',
          'zh-CN': '该 Webhook 已停用：请先启用',
        });
      }
      await tx.run(
        sql`UPDATE ${this.#tables.deliveries} SET state = 'pending', attempts = 0,
              due_at = ${this.#clock().toISOString()}, ended_at = NULL, locked_until = NULL, locked_by = NULL
            WHERE id = ${deliveryId}`,
      );
    });
    const [delivery] = await this.#deliveryViews(webhookId, sql`AND d.id = ${deliveryId}`, 1);
    if (!delivery) throw notFound(`delivery '${deliveryId}'`);
    return delivery;
  }

  /**
   * Claims due deliveries of active webhooks (SKIP LOCKED, with a lease), POSTs them side by side and
   * records each attempt. The shape of the workflow engine's due work, so the same runner drives it.
   */
  async runDueWork(limit = 50): Promise<DueWorkResult> {
    const now = this.#clock();
    const T = this.#tables;
    const leaseEnd = new Date(now.getTime() + this.#leaseMs).toISOString();
    const claimed = await this.db.query<DeliveryRow & { url: string; secret: string }>(
      sql`WITH claimed AS (
            UPDATE ${T.deliveries} SET locked_until = ${leaseEnd}, locked_by = ${this.#workerId}
            WHERE id IN (SELECT d.id FROM ${T.deliveries} d JOIN ${T.webhooks} w ON w.id = d.webhook_id AND w.active
              WHERE d.due_at <= ${now.toISOString()}
                AND (d.locked_until IS NULL OR d.locked_until < ${now.toISOString()})
              ORDER BY d.due_at LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED)
            RETURNING *)
          SELECT c.*, w.url, w.secret FROM claimed c JOIN ${T.webhooks} w ON w.id = c.webhook_id`,
    );
    const outcomes = await Promise.all(
      claimed.map(async (delivery) => {
        const outcome = await sendDelivery(this.#http, {
          url: delivery.url,
          secret: delivery.secret,
          body: typeof delivery.payload === 'string' ? delivery.payload : JSON.stringify(delivery.payload),
          eventId: delivery.event_id,
          event: delivery.event,
          deliveryId: delivery.id,
          now,
          timeoutMs: this.#timeoutMs,
        });
        await this.#settle(delivery, outcome, now);
        return outcome.ok;
      }),
    );
    return { handled: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length };
  }

  /** Logs the attempt and moves the delivery on: delivered, retried after the backoff, or failed. */
  async #settle(delivery: DeliveryRow, outcome: AttemptOutcome, now: Date): Promise<void> {
    const T = this.#tables;
    const at = this.#clock().toISOString();
    let deactivated = false;
    await this.db.transaction(async (tx) => {
      const mine = await tx.query(
        sql`SELECT 1 FROM ${T.deliveries} WHERE id = ${delivery.id} AND locked_by = ${this.#workerId}
            AND state = 'pending' FOR UPDATE`,
      );
      if (mine.length === 0) return; // the lease ran out and another runner took it
      await tx.run(
        sql`INSERT INTO ${T.attempts} (delivery_id, at, status, duration_ms, error, response)
            VALUES (${delivery.id}, ${now.toISOString()}, ${outcome.status}, ${outcome.durationMs},
              ${outcome.error}, ${outcome.response})`,
      );
      const attempts = delivery.attempts + 1;
      if (outcome.ok) {
        await tx.run(
          sql`UPDATE ${T.deliveries} SET state = 'delivered', attempts = ${attempts}, due_at = NULL,
                locked_until = NULL, locked_by = NULL, last_error = NULL, ended_at = ${at}
              WHERE id = ${delivery.id}`,
        );
        await tx.run(
          sql`UPDATE ${T.webhooks} SET consecutive_failures = 0 WHERE id = ${delivery.webhook_id}`,
        );
        return;
      }
      if (attempts < this.#maxAttempts) {
        const due = new Date(now.getTime() + this.#backoff(attempts)).toISOString();
        await tx.run(
          sql`UPDATE ${T.deliveries} SET attempts = ${attempts}, due_at = ${due}, locked_until = NULL,
                locked_by = NULL, last_error = ${outcome.error} WHERE id = ${delivery.id}`,
        );
        return;
      }
      await tx.run(
        sql`UPDATE ${T.deliveries} SET state = 'failed', attempts = ${attempts}, due_at = NULL,
              locked_until = NULL, locked_by = NULL, last_error = ${outcome.error}, ended_at = ${at}
            WHERE id = ${delivery.id}`,
      );
      const reason = `deactivated after ${this.#disableAfter} deliveries failed in a row`;
      const [webhook] = await tx.query<{ active: boolean }>(
        sql`UPDATE ${T.webhooks} SET consecutive_failures = consecutive_failures + 1,
              active = active AND consecutive_failures + 1 < ${this.#disableAfter},
              disabled_reason = CASE WHEN active AND consecutive_failures + 1 >= ${this.#disableAfter}
                THEN ${reason} ELSE disabled_reason END
            WHERE id = ${delivery.webhook_id} RETURNING active`,
      );
      if (webhook && !webhook.active) {
        await this.#announce(tx);
        deactivated = true;
      }
    });
    // this server stops recording deliveries for it at once (the others on the NOTIFY)
    if (deactivated) this.#subscriptions = null;
  }

  // Internals //////////////////////////////////////////////////////////////////////////////////////

  async #matching(moduleId: string, kind: RecordWriteKind, db: Db): Promise<Subscription[]> {
    if (!this.#subscriptions) {
      const loading = this.#load(db);
      this.#subscriptions = loading;
      loading.catch(() => {
        if (this.#subscriptions === loading) this.#subscriptions = null;
      });
    }
    const all = await this.#subscriptions;
    return all.filter(({ row }) => row.module_ids.includes(moduleId) && row.events.includes(kind));
  }

  async #load(db: Db): Promise<Subscription[]> {
    const rows = await db.query<WebhookRow>(
      sql`SELECT * FROM ${this.#tables.webhooks} WHERE active ORDER BY created_at, id`,
    );
    return rows.map((row) => ({ row, filter: row.filter ? compileFilter(row.filter) : null }));
  }

  async #changing(work: (tx: Db) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await work(tx);
      await this.#announce(tx);
    });
    this.#subscriptions = null;
  }

  async #announce(tx: Db): Promise<void> {
    await tx.run(sql`SELECT pg_notify(${WEBHOOK_CHANNEL}, ${this.schema})`);
  }

  async #row(db: Db, id: string, lock = false): Promise<WebhookRow> {
    const [row] = isUuid(id)
      ? await db.query<WebhookRow>(
          sql`SELECT * FROM ${this.#tables.webhooks} WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`,
        )
      : [];
    if (!row) throw notFound(`webhook '${id}'`);
    return row;
  }

  #moduleIds(names: string[] | undefined): string[] {
    return (names ?? []).map((name) => this.catalog.byName(name).id);
  }

  #view(row: WebhookRow): Webhook {
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      modules: row.module_ids.map((id) => this.catalog.byId(id)?.name ?? id),
      events: row.events as RecordWriteKind[],
      filter: row.filter,
      active: row.active,
      disabledReason: row.disabled_reason,
      consecutiveFailures: row.consecutive_failures,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }
}
