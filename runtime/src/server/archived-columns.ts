import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import type { ApiEnv } from './env.ts';

/**
 * Data that publishes kept when fields were removed or changed type: listed and purged by
 * administrators only. Mounted under `/api/meta`; the guard is per route, so the definitions' other
 * reads stay open to everyone.
 */
export function archivedColumnRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { archived } = workspace.definitions;
  const app = new Hono<ApiEnv>();

  app.get('/modules/:module/archived-columns', adminOnly, async (c) =>
    c.json(await archived.list(c.req.param('module'))),
  );

  app.delete('/modules/:module/archived-columns', adminOnly, async (c) =>
    c.json({ purged: await archived.purge(c.req.param('module'), undefined, c.var.actor) }),
  );

  app.delete('/modules/:module/archived-columns/:column', adminOnly, async (c) =>
    c.json({ purged: await archived.purge(c.req.param('module'), c.req.param('column'), c.var.actor) }),
  );

  return app;
}
