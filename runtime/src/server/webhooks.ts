import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { integerParam, queryParams } from './params.ts';
import { httpProblem } from './problem.ts';

const STATES = ['pending', 'delivered', 'failed'] as const;
type DeliveryState = (typeof STATES)[number];
const isDeliveryState = (state: string): state is DeliveryState =>
  (STATES as readonly string[]).includes(state);

/**
 * `/api/admin/webhooks` (admins): outbound webhook subscriptions on record events, their delivery log
 * and redelivery. The secret is answered only by the create and by rotate-secret.
 */
export function webhookRoutes(workspace: Workspace): Hono<ApiEnv> {
  const webhooks = workspace.webhooks;
  const app = new Hono<ApiEnv>();
  app.use(adminOnly);
  app.get('/', async (c) => c.json({ data: await webhooks.list() }));
  app.post('/', async (c) => {
    const created = await webhooks.create(await readJsonBody(c), c.var.actor);
    return c.json(created, 201, { Location: `/api/admin/webhooks/${created.id}` });
  });
  app.get('/:id', async (c) => c.json(await webhooks.get(c.req.param('id'))));
  app.patch('/:id', async (c) => c.json(await webhooks.update(c.req.param('id'), await readJsonBody(c))));
  app.delete('/:id', async (c) => {
    await webhooks.remove(c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/:id/rotate-secret', async (c) => c.json(await webhooks.rotateSecret(c.req.param('id'))));
  app.get('/:id/deliveries', async (c) => {
    const { state, limit } = queryParams(c, ['state', 'limit']);
    if (state !== undefined && !isDeliveryState(state)) {
      throw httpProblem('invalid-query', '/state', 'enum', `must be one of ${STATES.join(', ')}`);
    }
    const data = await webhooks.deliveries(c.req.param('id'), {
      state,
      limit: integerParam(limit, 'limit', 1, 200),
    });
    return c.json({ data });
  });
  app.post('/:id/deliveries/:delivery/redeliver', async (c) =>
    c.json(await webhooks.redeliver(c.req.param('id'), c.req.param('delivery')), 202),
  );
  return app;
}
