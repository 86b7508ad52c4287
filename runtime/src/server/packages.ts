import type { PackagePreview, Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { queryParams } from './params.ts';
import { toApiError } from './problem.ts';

/** Largest package body the import endpoints take (a package is bigger than a record). */
export const PACKAGE_BODY_LIMIT = 16 * 1024 * 1024;

function previewBody<T extends PackagePreview>(preview: T) {
  return { ...preview, problems: preview.problems.map(toApiError) };
}

/**
 * `/api/package` (admins): the workspace's configuration as an app package, `{ path: file text }`,
 * and the preview and import of one in the same shape. Problems point into that object: the
 * first segment is the file, the rest the place inside it.
 */
export function packageRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { packages } = workspace;
  const app = new Hono<ApiEnv>();
  app.use('*', adminOnly);

  app.get('/', async (c) => {
    const { name, version } = queryParams(c, ['name', 'version']);
    return c.json(await packages.export({ name, version }));
  });

  app.post('/preview', async (c) => c.json(previewBody(await packages.preview(await readJsonBody(c)))));

  app.post('/import', async (c) =>
    c.json(previewBody(await packages.import(await readJsonBody(c), c.var.actor))),
  );

  return app;
}
