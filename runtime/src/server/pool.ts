import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { httpProblem } from './problem.ts';
import { recordResponse } from './records.ts';

/**
 * `/api/modules/{module}/records/{id}/claim` and `/release`: a module's pool (records without an
 * owner). A claim makes the caller the owner (409 when someone claimed it first, 422 past the claim
 * limit); a release by the owner puts it back with a `reason`.
 */
export function poolRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { records } = workspace;
  const app = new Hono<ApiEnv>();

  app.post('/:module/records/:id/claim', async (c) =>
    recordResponse(c, await records.claim(c.req.param('module'), c.req.param('id'), c.var.actor)),
  );

  app.post('/:module/records/:id/release', async (c) => {
    const body = await readJsonBody(c, { optional: true });
    if (body !== undefined && !isPlainObject(body)) {
      throw httpProblem('invalid-request', '', 'type', 'the body must be a JSON object');
    }
    const { module, id } = c.req.param();
    return recordResponse(c, await records.release(module, id, body?.reason, c.var.actor));
  });

  return app;
}
