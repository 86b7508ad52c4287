import type { StoredRecord, Workspace } from '@crm/engine';
import { type Context, Hono } from 'hono';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { etagOf } from './etag.ts';
import { listQueryFrom, RECORD_LIST_PARAMETERS } from './list-query.ts';
import { integerParam, queryParams } from './params.ts';
import { rowRoutes } from './rows.ts';
import { expectedVersion } from './versions.ts';

const MAX_HISTORY_PAGE = 500;

function recordLocation(module: string, id: string): string {
  return `/api/modules/${encodeURIComponent(module)}/records/${encodeURIComponent(id)}`;
}

export function recordResponse(
  c: Context,
  record: StoredRecord,
  status: 200 | 201 = 200,
  headers: Record<string, string> = {},
) {
  return c.json(record, status, { ...headers, ETag: etagOf(record.version) });
}

/** Records of the published modules: CRUD, lists, history and related lists. */
export function recordRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { records } = workspace;
  const app = new Hono<ApiEnv>();

  app.get('/:module/records', async (c) =>
    c.json(await records.list(c.req.param('module'), c.var.actor, listQueryFrom(c, RECORD_LIST_PARAMETERS))),
  );

  app.post('/:module/records', async (c) => {
    const module = c.req.param('module');
    const record = await records.create(module, await readJsonBody(c), c.var.actor);
    return recordResponse(c, record, 201, { Location: recordLocation(module, record.id) });
  });

  app.get('/:module/defaults', async (c) =>
    c.json(await records.newRecordDefaults(c.req.param('module'), c.var.actor)),
  );

  app.get('/:module/records/:id', async (c) => {
    const record = await records.get(c.req.param('module'), c.req.param('id'), c.var.actor);
    if (c.req.header('if-none-match') === etagOf(record.version)) {
      return c.body(null, 304, { ETag: etagOf(record.version) });
    }
    return recordResponse(c, record);
  });

  app.patch('/:module/records/:id', async (c) => {
    const body = await readJsonBody(c);
    const version = expectedVersion(c.req.header('if-match'), body);
    const record = await records.update(c.req.param('module'), c.req.param('id'), body, c.var.actor, {
      expectedVersion: version,
    });
    return recordResponse(c, record);
  });

  app.delete('/:module/records/:id', async (c) => {
    const version = expectedVersion(c.req.header('if-match'));
    await records.delete(c.req.param('module'), c.req.param('id'), c.var.actor, { expectedVersion: version });
    return c.body(null, 204);
  });

  app.get('/:module/records/:id/history', async (c) => {
    const params = queryParams(c, ['before', 'limit']);
    const entries = await records.history(c.req.param('module'), c.req.param('id'), c.var.actor, {
      beforeVersion: integerParam(params.before, 'before', 1, 2 ** 31 - 1),
      limit: integerParam(params.limit, 'limit', 1, MAX_HISTORY_PAGE),
    });
    return c.json(entries);
  });

  app.route('/', rowRoutes(workspace));

  app.get('/:module/records/:id/related/:inverse', async (c) => {
    const { module, id, inverse } = c.req.param();
    return c.json(await records.related(module, id, inverse, c.var.actor, listQueryFrom(c)));
  });

  return app;
}
