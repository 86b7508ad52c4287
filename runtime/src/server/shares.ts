import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { etagOf } from './etag.ts';
import { httpProblem } from './problem.ts';
import { expectedVersion } from './versions.ts';

/** Sharing a record and giving it to another owner: `…/records/{id}/shares`, `…/records/{id}/assign`. */
export function shareRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { records } = workspace;
  const { shares } = workspace.access;
  const app = new Hono<ApiEnv>();

  app.get('/:module/records/:id/shares', async (c) =>
    c.json(await shares.list(c.req.param('module'), c.req.param('id'), c.var.actor)),
  );

  app.post('/:module/records/:id/shares', async (c) => {
    const body = await readJsonBody(c);
    return c.json(await shares.grant(c.req.param('module'), c.req.param('id'), body, c.var.actor), 201);
  });

  app.delete('/:module/records/:id/shares/:principalType/:principalId', async (c) => {
    const { module, id, principalType, principalId } = c.req.param();
    await shares.revoke(module, id, principalType, principalId, c.var.actor);
    return c.body(null, 204);
  });

  app.post('/:module/records/:id/assign', async (c) => {
    const body = await readJsonBody(c);
    if (!isPlainObject(body) || Object.keys(body).some((k) => k !== 'owner' && k !== 'version')) {
      throw httpProblem('invalid-request', '', 'type', "must be { owner } (and optionally 'version')");
    }
    const version = expectedVersion(c.req.header('if-match'), body);
    const record = await records.assign(c.req.param('module'), c.req.param('id'), body.owner, c.var.actor, {
      expectedVersion: version,
    });
    return c.json(record, 200, { ETag: etagOf(record.version) });
  });

  return app;
}
