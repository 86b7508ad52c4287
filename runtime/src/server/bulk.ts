import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { httpProblem } from './problem.ts';

/**
 * `POST /api/modules/{module}/records/bulk`: `{ action: 'update', ids, patch }` or `{ action: 'delete', ids }`,
 * all or nothing; a refusal lists each failed record (`records[]`) with its problems.
 */
export function bulkRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { records } = workspace;
  const app = new Hono<ApiEnv>();

  app.post('/:module/records/bulk', async (c) => {
    const module = c.req.param('module');
    const body = await readJsonBody(c);
    if (!isPlainObject(body)) throw httpProblem('invalid-request', '', 'type', 'must be a JSON object');
    const unknown = Object.keys(body).find((key) => !['action', 'ids', 'patch'].includes(key));
    if (unknown)
      throw httpProblem('invalid-request', `/${unknown}`, 'additionalProperties', 'is not a known field');
    if (body.action === 'update') {
      if (!isPlainObject(body.patch)) {
        throw httpProblem('invalid-request', '/patch', 'type', 'must be an object of the fields to set');
      }
      const updated = await records.bulkUpdate(module, body.ids, body.patch, c.var.actor);
      return c.json({ updated: updated.length, records: updated });
    }
    if (body.action === 'delete') {
      if (body.patch !== undefined)
        throw httpProblem('invalid-request', '/patch', 'not', 'a delete takes no patch');
      return c.json({ deleted: await records.bulkDelete(module, body.ids, c.var.actor) });
    }
    throw httpProblem('invalid-request', '/action', 'enum', "must be 'update' or 'delete'");
  });

  return app;
}
