// Outbound webhooks through the REST API: subscriptions (admins only, secrets shown once), deliveries
// of created/updated/deleted events honouring the FEEL filter, signed and sent to a receiver on
// loopback, retried with backoff under the same idempotency key, logged, redelivered; a rolled-back
// write sends nothing; bad input is named.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM_ACTOR, type Webhook, type WebhookDelivery, type WebhookEnvelope } from '@crm/engine';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { role } from '../../support/access-fixtures.ts';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';
import { rawRows } from '../../support/sql.ts';

const clock = testClock(Date.parse('2026-06-01T08:00:00Z'));
const DEAL = 'mod_wh_deal';

const dealModule = {
  id: DEAL,
  name: 'wh_deal',
  label: { en: 'Deal', 'zh-CN': '商机' },
  fields: [
    { id: 'wh_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'wh_amount', name: 'amount', type: 'integer', label: { en: 'Amount' } },
    {
      id: 'wh_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: [
        { value: 'open', label: { en: 'Open' } },
        { value: 'won', label: { en: 'Won' } },
      ],
    },
  ],
};

interface Received {
  headers: IncomingMessage['headers'];
  text: string;
  body: WebhookEnvelope;
}

/** A receiver on loopback: answers each post with the next of `answers` (200 once they run out). */
const receiver = {
  server: undefined as Server | undefined,
  url: '',
  posts: [] as Received[],
  answers: [] as number[],
};

beforeAll(async () => {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      receiver.posts.push({ headers: req.headers, text, body: JSON.parse(text) });
      const status = receiver.answers.shift() ?? 200;
      res
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status === 200 ? 'thanks' : 'down for a bit');
    });
  });
  receiver.server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm`;
});
afterAll(() => new Promise<void>((resolve) => receiver.server?.close(() => resolve())));
beforeEach(() => {
  receiver.posts.length = 0;
  receiver.answers.length = 0;
});

/** What a receiver does: recompute the HMAC of "<t>.<body>" with the secret and compare. */
function verifies(post: Received, secret: string): boolean {
  const header = String(post.headers['x-crm-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${post.text}`).digest('hex');
  return expected === match[2];
}

forEachDatabase(
  'REST API outbound webhooks',
  (handle) => {
    let admin: ApiClient;
    let rep: ApiClient;

    beforeAll(async () => {
      admin = apiClient(handle());
      const { workspace } = handle();
      await workspace.definitions.saveDraft(dealModule);
      await workspace.definitions.publish();
      const org = organisation(handle());
      const repUser = await org.user('wh_rep');
      await org.role(role('wh_rep', DEAL, { read: 'all', create: 'own', update: 'own' }));
      await org.grant(repUser, 'wh_rep');
      rep = apiClient(handle(), { auth: { token: await tokenFor(handle(), repUser.id, ['records:write']) } });
    });

    const runDeliveries = () => handle().workspace.webhooks.runDueWork();

    it('sends created, updated and deleted events that pass the filter, signed with the secret', async () => {
      const created = await admin.post<Webhook & { secret: string }>('/api/admin/webhooks', {
        url: receiver.url,
        description: 'ERP sync',
        modules: ['wh_deal'],
        events: ['created', 'updated', 'deleted'],
        filter: '(new != null and new.amount >= 1000) or (old != null and old.amount >= 1000)',
      });
      expect(created.status).toBe(201);
      const { secret, id } = created.body;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.headers.get('location')).toBe(`/api/admin/webhooks/${id}`);
      const listed = await admin.get<{ data: Webhook[] }>('/api/admin/webhooks');
      expect(listed.body.data).toEqual([
        expect.objectContaining({ id, url: receiver.url, modules: ['wh_deal'], active: true }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(JSON.stringify((await admin.get(`/api/admin/webhooks/${id}`)).body)).not.toContain(secret);

      const small = await rep.post<{ id: string }>('/api/modules/wh_deal/records', {
        name: 'Small',
        amount: 5,
      });
      const big = await rep.post<{ id: string; version: number }>('/api/modules/wh_deal/records', {
        name: 'Big',
        amount: 5000,
        stage: 'open',
      });
      expect(big.status).toBe(201);
      await runDeliveries();
      expect(receiver.posts.map((post) => post.body.recordId)).toEqual([big.body.id]);
      const [create] = receiver.posts;
      expect(create?.body).toMatchObject({
        type: 'record.created',
        module: 'wh_deal',
        recordId: big.body.id,
        occurredAt: clock.now().toISOString(),
        actor: { via: 'token' },
        data: { record: { name: 'Big', amount: 5000, stage: 'open' } },
      });
      expect(create?.headers['idempotency-key']).toBe(create?.body.id);
      expect(create?.headers['x-crm-event']).toBe('record.created');
      expect(create && verifies(create, secret)).toBe(true);
      expect(create && verifies(create, 'another secret')).toBe(false);

      receiver.posts.length = 0;
      await rep.patch(`/api/modules/wh_deal/records/${small.body.id}`, { name: 'Still small' });
      const won = await rep.patch(`/api/modules/wh_deal/records/${big.body.id}`, { stage: 'won' });
      expect(won.status).toBe(200);
      await runDeliveries();
      expect(receiver.posts).toHaveLength(1);
      expect(receiver.posts[0]?.body).toMatchObject({
        type: 'record.updated',
        data: { record: { stage: 'won', amount: 5000 }, previous: { stage: 'open' } },
      });
      expect(Object.keys(receiver.posts[0]?.body.data.previous ?? {})).toEqual(['stage']);

      receiver.posts.length = 0;
      await admin.delete(`/api/modules/wh_deal/records/${small.body.id}`);
      await admin.delete(`/api/modules/wh_deal/records/${big.body.id}`);
      await runDeliveries();
      expect(receiver.posts.map((post) => [post.body.type, post.body.recordId])).toEqual([
        ['record.deleted', big.body.id],
      ]);
      expect(receiver.posts[0]?.body.data.record).toMatchObject({ name: 'Big' });

      // a rotated secret signs what is sent from then on; the old one no longer verifies
      const rotated = await admin.post<{ secret: string }>(`/api/admin/webhooks/${id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(secret);
      receiver.posts.length = 0;
      await rep.post('/api/modules/wh_deal/records', { name: 'Huge', amount: 90000 });
      await runDeliveries();
      expect(receiver.posts).toHaveLength(1);
      const [signed] = receiver.posts;
      expect(signed && verifies(signed, rotated.body.secret)).toBe(true);
      expect(signed && verifies(signed, secret)).toBe(false);
      expect((await admin.delete(`/api/admin/webhooks/${id}`)).status).toBe(204);
    });

    it('retries a 500 with backoff under the same idempotency key, logs both attempts, redelivers', async () => {
      const { id } = (
        await admin.post<Webhook>('/api/admin/webhooks', {
          url: receiver.url,
          modules: ['wh_deal'],
          events: ['created'],
        })
      ).body;
      receiver.answers.push(500);
      const deal = await rep.post<{ id: string }>('/api/modules/wh_deal/records', { name: 'Retry me' });
      expect((await runDeliveries()).failed).toBe(1);
      expect(receiver.posts).toHaveLength(1);
      let [delivery] = (await admin.get<{ data: WebhookDelivery[] }>(`/api/admin/webhooks/${id}/deliveries`))
        .body.data;
      expect(delivery).toMatchObject({
        state: 'pending',
        recordId: deal.body.id,
        module: 'wh_deal',
        lastError: 'answered 500',
        attempts: [{ status: 500, error: 'answered 500', response: 'down for a bit' }],
      });
      // not before the backoff (10 s after the first failure)
      clock.advance(9_000);
      expect((await runDeliveries()).handled + (await runDeliveries()).failed).toBe(0);
      clock.advance(1_000);
      expect((await runDeliveries()).handled).toBe(1);
      expect(receiver.posts).toHaveLength(2);
      const [first, second] = receiver.posts;
      expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
      expect(second?.text).toBe(first?.text);
      [delivery] = (
        await admin.get<{ data: WebhookDelivery[] }>(`/api/admin/webhooks/${id}/deliveries`)
      ).body.data;
      expect(delivery?.state).toBe('delivered');
      expect(delivery?.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
      expect(delivery?.attempts[1]).toMatchObject({ error: null, response: 'thanks' });
      expect(delivery?.attempts[0]?.durationMs).toBeGreaterThanOrEqual(0);
      const failedOnly = await admin.get<{ data: unknown[] }>(
        `/api/admin/webhooks/${id}/deliveries?state=failed`,
      );
      expect(failedOnly.body.data).toEqual([]);

      // a manual redelivery: the same event, a third attempt in the log
      const again = await admin.post<WebhookDelivery>(
        `/api/admin/webhooks/${id}/deliveries/${delivery?.id}/redeliver`,
      );
      expect(again.status).toBe(202);
      expect(again.body.state).toBe('pending');
      expectProblem(await admin.post(`/api/admin/webhooks/${id}/deliveries/${delivery?.id}/redeliver`), 409);
      await runDeliveries();
      expect(receiver.posts).toHaveLength(3);
      expect(receiver.posts[2]?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
      [delivery] = (
        await admin.get<{ data: WebhookDelivery[] }>(`/api/admin/webhooks/${id}/deliveries`)
      ).body.data;
      expect(delivery?.attempts).toHaveLength(3);
      await admin.delete(`/api/admin/webhooks/${id}`);
    });

    it('fails a delivery after its attempts and deactivates a webhook failing again and again', async () => {
      const { id } = (
        await admin.post<Webhook>('/api/admin/webhooks', {
          url: 'http://127.0.0.1:9/nothing-listens-here',
          modules: ['wh_deal'],
          events: ['created'],
        })
      ).body;
      await rep.post('/api/modules/wh_deal/records', { name: 'Nobody listens' });
      for (let attempt = 0; attempt < 6; attempt++) {
        expect((await runDeliveries()).failed).toBe(1);
        clock.advance(3_600_000);
      }
      expect(await runDeliveries()).toEqual({ handled: 0, failed: 0 });
      const [delivery] = (
        await admin.get<{ data: WebhookDelivery[] }>(`/api/admin/webhooks/${id}/deliveries`)
      ).body.data;
      expect(delivery?.state).toBe('failed');
      expect(delivery?.attempts).toHaveLength(6);
      expect(delivery?.attempts[0]).toMatchObject({ status: null });
      // nothing listens on port 9: the connection is refused, which the log names
      expect(delivery?.lastError).toBe('connect ECONNREFUSED 127.0.0.1:9');
      expect(delivery?.attempts[5]).toMatchObject({ status: null, error: delivery?.lastError });
      expect((await admin.get<Webhook>(`/api/admin/webhooks/${id}`)).body).toMatchObject({
        consecutiveFailures: 1,
        active: true,
        disabledReason: null,
      });

      // 20 deliveries failed in a row deactivate it: no more deliveries are recorded or sent
      for (let i = 0; i < 19; i++) await rep.post('/api/modules/wh_deal/records', { name: `Lost ${i}` });
      for (let attempt = 0; attempt < 6; attempt++) {
        expect((await runDeliveries()).failed).toBe(19);
        clock.advance(3_600_000);
      }
      const deactivated = (await admin.get<Webhook>(`/api/admin/webhooks/${id}`)).body;
      expect(deactivated).toMatchObject({ active: false, consecutiveFailures: 20 });
      expect(deactivated.disabledReason).toContain('20 deliveries failed in a row');
      await rep.post('/api/modules/wh_deal/records', { name: 'After the deactivation' });
      const all = await admin.get<{ data: WebhookDelivery[] }>(
        `/api/admin/webhooks/${id}/deliveries?limit=200`,
      );
      expect(all.body.data).toHaveLength(20);
      expectProblem(await admin.post(`/api/admin/webhooks/${id}/deliveries/${delivery?.id}/redeliver`), 409, [
        '/active',
      ]);
      const reactivated = await admin.patch<Webhook>(`/api/admin/webhooks/${id}`, { active: true });
      expect(reactivated.body).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
      await admin.delete(`/api/admin/webhooks/${id}`);
    });

    it('sends nothing for a write that rolls back, nor for modules and events not subscribed', async () => {
      const { workspace, engine } = handle();
      const deal = await workspace.records.create('wh_deal', { name: 'Before' }, SYSTEM_ACTOR);
      const { id } = (
        await admin.post<Webhook>('/api/admin/webhooks', {
          url: receiver.url,
          modules: ['wh_deal'],
          events: ['created', 'updated'],
        })
      ).body;
      await expect(
        engine.db.transaction(async (tx) => {
          await workspace.records.update('wh_deal', deal.id, { name: 'Rolled back' }, SYSTEM_ACTOR, {
            db: tx,
          });
          throw new Error('the caller changed its mind');
        }),
      ).rejects.toThrow('the caller changed its mind');
      // a write refused by validation writes nothing either
      expectProblem(await rep.post('/api/modules/wh_deal/records', { amount: 3 }), 422, ['/name']);
      const [count] = await rawRows(
        engine,
        `SELECT count(*)::int AS n FROM ${workspace.schema}._webhook_deliveries`,
      );
      expect(count?.n).toBe(0);
      await runDeliveries();
      expect(receiver.posts).toEqual([]);
      // deactivated: nothing is recorded for it
      await admin.patch(`/api/admin/webhooks/${id}`, { active: false });
      await rep.post('/api/modules/wh_deal/records', { name: 'While inactive' });
      await runDeliveries();
      expect(receiver.posts).toEqual([]);
      await admin.delete(`/api/admin/webhooks/${id}`);
    });

    it('names each bad field with 422, answers 404 for unknown ids and 403 to non-admins', async () => {
      const bad = await admin.post('/api/admin/webhooks', {
        url: 'ftp://example.com/x',
        modules: ['wh_deal', 'no_such_module'],
        events: ['created', 'renamed'],
        filter: 'new.amount >',
        colour: 'red',
      });
      const problem = expectProblem(bad, 422, ['/url', '/modules/1', '/events/1', '/filter', '/colour']);
      expect(JSON.stringify(problem)).toContain('不是已发布的模块');
      expectProblem(await admin.post('/api/admin/webhooks', { url: receiver.url }), 422, [
        '/modules',
        '/events',
      ]);
      expectProblem(
        await admin.post('/api/admin/webhooks', {
          url: receiver.url,
          modules: ['wh_deal'],
          events: ['created'],
          filter: 'amount > 1',
        }),
        422,
        ['/filter'],
      );
      const { id } = (
        await admin.post<Webhook>('/api/admin/webhooks', {
          url: receiver.url,
          modules: ['wh_deal'],
          events: ['created'],
        })
      ).body;
      expectProblem(await admin.patch(`/api/admin/webhooks/${id}`, { active: 'yes' }), 422, ['/active']);
      expect(
        (await admin.patch<Webhook>(`/api/admin/webhooks/${id}`, { events: ['deleted'] })).body.events,
      ).toEqual(['deleted']);
      expectProblem(await admin.get('/api/admin/webhooks/not-an-id'), 404);
      expectProblem(await admin.get(`/api/admin/webhooks/${id}/deliveries?state=lost`), 400, ['/state']);
      expectProblem(await rep.get('/api/admin/webhooks'), 403);
      expectProblem(
        await rep.post('/api/admin/webhooks', {
          url: receiver.url,
          modules: ['wh_deal'],
          events: ['created'],
        }),
        403,
      );
      expectProblem(await rep.post(`/api/admin/webhooks/${id}/rotate-secret`), 403);
      // the designer's FEEL editor checks a filter against what it reads: old, new and actor
      for (const [expression, valid] of [
        ['new.amount > 5 and actor != null', true],
        ['amount > 5', false],
        ['new.amount >', false],
      ] as const) {
        const checked = await admin.post<{ valid: boolean }>('/api/meta/feel/check', {
          scope: 'record-event',
          expression,
        });
        expect(checked.body.valid, expression).toBe(valid);
      }
      const doc = await admin.get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
      expect(Object.keys(doc.body.paths['/api/admin/webhooks'] ?? {})).toEqual(['get', 'post']);
      expect(doc.body.paths['/api/admin/webhooks/{id}/deliveries/{delivery}/redeliver']?.post).toBeDefined();
      await admin.delete(`/api/admin/webhooks/${id}`);
    });
  },
  // the receivers listen on loopback, which the server refuses to call unless allowed
  { clock: clock.now, workflow: { clock: clock.now }, outbound: { allowPrivate: true } },
);
