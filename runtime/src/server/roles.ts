import type { StoredRole, Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';

function roleBody(role: StoredRole) {
  return { ...role.definition, createdAt: role.createdAt, updatedAt: role.updatedAt };
}

/** `/api/roles`: the roles' permission matrices, for administrators. */
export function roleRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { roles } = workspace.access;
  const app = new Hono<ApiEnv>();
  app.use('*', adminOnly);

  app.get('/', async (c) => c.json((await roles.list()).map(roleBody)));

  app.post('/', async (c) => {
    const role = await roles.create(await readJsonBody(c), c.var.actor);
    return c.json(roleBody(role), 201, { Location: `/api/roles/${encodeURIComponent(role.definition.id)}` });
  });

  app.get('/:id', async (c) => c.json(roleBody(await roles.get(c.req.param('id')))));

  app.put('/:id', async (c) =>
    c.json(roleBody(await roles.update(c.req.param('id'), await readJsonBody(c), c.var.actor))),
  );

  app.delete('/:id', async (c) => {
    await roles.delete(c.req.param('id'), c.var.actor);
    return c.body(null, 204);
  });

  return app;
}
