import { MANIFEST_FILE, type PackagePreview, type Workspace } from '@crm/engine';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { payloadTooLarge, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { unzipPackage, ZIP_CONTENT_TYPE, zipPackage } from './package-zip.ts';
import { booleanParam, queryParams } from './params.ts';
import { httpProblem, toApiError } from './problem.ts';

/** Largest package body the import endpoints take (a package is bigger than a record). */
export const PACKAGE_BODY_LIMIT = 16 * 1024 * 1024;

function previewBody<T extends PackagePreview>(preview: T) {
  return { ...preview, problems: preview.problems.map(toApiError) };
}

/** `?confirmDataLoss=true`: type changes in the package may lose the values they cannot convert. */
function publishOptions(c: Context<ApiEnv>) {
  const { confirmDataLoss } = queryParams(c, ['confirmDataLoss']);
  return { confirmDataLoss: booleanParam(confirmDataLoss, 'confirmDataLoss') === true };
}

/** The package of a request: `{ path: text }` as JSON, or a zip archive of the files. */
async function packageBody(c: Context<ApiEnv>): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== ZIP_CONTENT_TYPE) return readJsonBody(c);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > c.var.bodyLimit) throw payloadTooLarge(c.var.bodyLimit);
  return unzipPackage(bytes);
}

/**
 * `/api/package` (admins): the workspace's configuration as an app package, `{ path: file text }`
 * (or a zip of the files), and the preview and import of one in the same shape. Problems point
 * into that object: the first segment is the file, the rest the place inside it.
 */
export function packageRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { packages } = workspace;
  const app = new Hono<ApiEnv>();
  app.use('*', adminOnly);

  app.get('/', async (c) => {
    const { name, version, format } = queryParams(c, ['name', 'version', 'format']);
    if (format !== undefined && format !== 'json' && format !== 'zip') {
      throw httpProblem('invalid-query', '/format', 'enum', 'must be json or zip');
    }
    const files = await packages.export({ name, version });
    if (format !== 'zip') return c.json(files);
    const manifest = JSON.parse(files[MANIFEST_FILE]) as { name: string; version: string };
    return c.body(zipPackage(files), 200, {
      'Content-Type': ZIP_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${manifest.name}-${manifest.version}.zip"`,
    });
  });

  app.post('/preview', async (c) => {
    const options = publishOptions(c);
    return c.json(previewBody(await packages.preview(await packageBody(c), options)));
  });

  app.post('/import', async (c) => {
    const options = publishOptions(c);
    return c.json(previewBody(await packages.import(await packageBody(c), c.var.actor, options)));
  });

  return app;
}
