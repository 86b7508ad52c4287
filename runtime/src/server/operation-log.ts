import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import type { ApiEnv } from './env.ts';
import { integerParam, queryParams } from './params.ts';

const PARAMETERS = ['actor', 'module', 'record', 'action', 'from', 'to', 'cursor', 'limit'] as const;

/** `GET /api/admin/operation-log`: who did what, when and from where; newest first. */
export function operationLogRoutes(workspace: Workspace): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', adminOnly);
  app.get('/', async (c) => {
    const { limit, ...filters } = queryParams(c, PARAMETERS);
    return c.json(
      await workspace.access.operationLog.search({ ...filters, limit: integerParam(limit, 'limit', 1, 500) }),
    );
  });
  return app;
}
