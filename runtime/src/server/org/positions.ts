import type { Identity, LocaleText } from '@crm/engine';
import { Hono } from 'hono';
import { engineInput } from '../engine-input.ts';
import type { ApiEnv } from '../env.ts';

/** `/api/org/positions`: job titles. */
export function positionRoutes(identity: Identity): Hono<ApiEnv> {
  const { positions } = identity;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => c.json(await positions.list()));

  app.post('/', async (c) => {
    const position = await positions.create(await engineInput<{ name: LocaleText }>(c));
    return c.json(position, 201, { Location: `/api/org/positions/${position.id}` });
  });

  app.get('/:id', async (c) => c.json(await positions.get(c.req.param('id'))));

  app.patch('/:id', async (c) =>
    c.json(await positions.rename(c.req.param('id'), await engineInput<{ name: LocaleText }>(c))),
  );

  app.delete('/:id', async (c) => {
    await positions.delete(c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
