import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { httpProblem } from './problem.ts';

/**
 * `/api/modules/{module}/records/{id}/actions`: the manual workflow actions (crm:trigger on="manual")
 * offered on a record, and starting one as the user who clicks it (who must be able to read the record).
 */
export function recordActionRoutes(workspace: Workspace): Hono<ApiEnv> {
  const triggers = workspace.workflows.triggers;
  const app = new Hono<ApiEnv>();

  app.get('/:module/records/:id/actions', async (c) =>
    c.json(await triggers.actions(c.req.param('module'), c.req.param('id'), c.var.actor)),
  );

  app.post('/:module/records/:id/actions/:processId', async (c) => {
    const body = await readJsonBody(c, { optional: true });
    if (body !== undefined && !isPlainObject(body)) {
      throw httpProblem('invalid-request', '', 'type', 'the body must be a JSON object');
    }
    const { module, id, processId } = c.req.param();
    const instance = await triggers.runAction(module, id, processId, c.var.actor, body?.variables);
    return c.json(instance, 201, { Location: `/api/workflows/instances/${instance.id}` });
  });

  return app;
}
