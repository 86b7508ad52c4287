import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { httpProblem } from './problem.ts';
import { recordResponse } from './records.ts';
import { expectedVersion } from './versions.ts';

type Row = Record<string, unknown>;

function rowLocation(module: string, id: string, subtable: string, rowId: string): string {
  return `/api/modules/${[module, 'records', id, 'rows', subtable, rowId].map(encodeURIComponent).join('/')}`;
}

/**
 * Rows of a record's sub-tables, one at a time: each write is a change of the whole record (its
 * version goes up, its history tells the row change) and answers with the record.
 */
export function rowRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { records } = workspace;
  const app = new Hono<ApiEnv>();

  app.get('/:module/records/:id/rows/:subtable', async (c) => {
    const { module, id, subtable } = c.req.param();
    return c.json(await records.rows(module, id, subtable, c.var.actor));
  });

  app.get('/:module/records/:id/rows/:subtable/:rowId', async (c) => {
    const { module, id, subtable, rowId } = c.req.param();
    const row = (await records.rows(module, id, subtable, c.var.actor)).find((r) => r.id === rowId);
    if (!row)
      throw httpProblem('not-found', '', 'not-found', `row '${rowId}' of ${module}.${subtable} not found`);
    return c.json(row);
  });

  app.post('/:module/records/:id/rows/:subtable', async (c) => {
    const { module, id, subtable } = c.req.param();
    const body = await readJsonBody(c);
    const record = await records.appendRow(module, id, subtable, body, c.var.actor, {
      expectedVersion: expectedVersion(c.req.header('if-match')),
    });
    const rows = record[subtable] as Row[];
    const added = String(rows[rows.length - 1]?.id);
    return recordResponse(c, record, 201, { Location: rowLocation(module, id, subtable, added) });
  });

  app.patch('/:module/records/:id/rows/:subtable/:rowId', async (c) => {
    const { module, id, subtable, rowId } = c.req.param();
    const body = await readJsonBody(c);
    const record = await records.updateRow(module, id, subtable, rowId, body, c.var.actor, {
      expectedVersion: expectedVersion(c.req.header('if-match')),
    });
    return recordResponse(c, record);
  });

  app.delete('/:module/records/:id/rows/:subtable/:rowId', async (c) => {
    const { module, id, subtable, rowId } = c.req.param();
    const record = await records.deleteRow(module, id, subtable, rowId, c.var.actor, {
      expectedVersion: expectedVersion(c.req.header('if-match')),
    });
    return recordResponse(c, record);
  });

  return app;
}
