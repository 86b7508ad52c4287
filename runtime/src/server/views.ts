import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { engineInput } from './engine-input.ts';
import type { ApiEnv } from './env.ts';
import { queryParams } from './params.ts';
import { httpProblem } from './problem.ts';

/** `/api/views`: the signed-in user's own saved list views (nobody else sees or changes them). */
export function viewRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { views } = workspace;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { module } = queryParams(c, ['module']);
    if (!module)
      throw httpProblem('invalid-query', '/module', 'required', 'name the module whose views to list');
    return c.json(await views.list(module, c.var.actor));
  });
  app.post('/', async (c) => c.json(await views.create(await engineInput(c), c.var.actor), 201));
  app.get('/:id', async (c) => c.json(await views.get(c.req.param('id'), c.var.actor)));
  app.patch('/:id', async (c) =>
    c.json(await views.update(c.req.param('id'), await engineInput(c), c.var.actor)),
  );
  app.delete('/:id', async (c) => {
    await views.delete(c.req.param('id'), c.var.actor);
    return c.body(null, 204);
  });
  return app;
}
