import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import type { ApiEnv } from './env.ts';
import { etagOf } from './etag.ts';
import { LIST_PARAMETERS, listQueryFrom } from './list-query.ts';
import { queryParams } from './params.ts';
import { httpProblem } from './problem.ts';
import { expectedVersion } from './versions.ts';

/**
 * The recycle bin of each module (deleted records: list, restore, purge) and reverting a record
 * to an earlier version of its history.
 */
export function recycleBinRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { records } = workspace;
  const app = new Hono<ApiEnv>();

  app.get('/:module/recycle-bin', async (c) =>
    c.json(await records.listDeleted(c.req.param('module'), c.var.actor, listQueryFrom(c, LIST_PARAMETERS))),
  );

  app.post('/:module/recycle-bin/:id/restore', async (c) => {
    const record = await records.restore(c.req.param('module'), c.req.param('id'), c.var.actor);
    return c.json(record, 200, { ETag: etagOf(record.version) });
  });

  app.delete('/:module/recycle-bin/:id', async (c) => {
    await records.purge(c.req.param('module'), c.var.actor, { id: c.req.param('id') });
    return c.body(null, 204);
  });

  app.delete('/:module/recycle-bin', async (c) => {
    const { deletedBefore } = queryParams(c, ['deletedBefore']);
    const purged = await records.purge(c.req.param('module'), c.var.actor, { deletedBefore });
    return c.json({ purged });
  });

  app.post('/:module/records/:id/history/:version/revert', async (c) => {
    const { module, id, version } = c.req.param();
    if (!/^\d{1,9}$/.test(version)) {
      throw httpProblem('invalid-query', '/version', 'type', 'must be a version number');
    }
    const record = await records.revert(module, id, Number(version), c.var.actor, {
      expectedVersion: expectedVersion(c.req.header('if-match')),
    });
    return c.json(record, 200, { ETag: etagOf(record.version) });
  });

  return app;
}
