import type { Engine, Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { approvalRoutes, recordApprovalRoutes } from './approvals.ts';
import { archivedColumnRoutes } from './archived-columns.ts';
import { authentication } from './auth.ts';
import { authRoutes } from './auth-routes.ts';
import { payloadTooLarge } from './body.ts';
import { bulkRoutes } from './bulk.ts';
import { compression } from './compression.ts';
import { docsRoutes } from './docs.ts';
import type { ApiEnv } from './env.ts';
import { exportRoutes } from './export.ts';
import { feelRoutes } from './feel.ts';
import { fileRoutes, UPLOAD_PATH } from './files.ts';
import { metaRoutes } from './meta.ts';
import { notificationRoutes } from './notifications.ts';
import { openApiRoutes } from './openapi.ts';
import { operationLogRoutes } from './operation-log.ts';
import { directoryRoutes } from './org/directory.ts';
import { orgRoutes } from './org.ts';
import { PACKAGE_BODY_LIMIT, packageRoutes } from './packages.ts';
import { pluginAdminRoutes, pluginRoutes } from './plugins.ts';
import { poolRoutes } from './pool.ts';
import { HttpProblem, problemResponse } from './problem.ts';
import { recordActionRoutes } from './record-actions.ts';
import { recordRoutes } from './records.ts';
import { recycleBinRoutes } from './recycle-bin.ts';
import { roleRoutes } from './roles.ts';
import { shareRoutes } from './shares.ts';
import { viewRoutes } from './views.ts';
import { mountWebApps, type WebApp } from './web-apps.ts';
import { webhookRoutes } from './webhooks.ts';
import { workflowRoutes } from './workflows.ts';

/**
 * No module name or record id holds NUL, and PostgreSQL fails on text that does (rather than
 * finding nothing), so a path holding one names nothing.
 */
const refuseNulInPath = createMiddleware<ApiEnv>(async (c, next) => {
  if (c.req.path.includes('%00') || c.req.path.includes('\u0000')) {
    throw new HttpProblem('not-found', 'no endpoint or resource has a NUL character in its path');
  }
  await next();
});

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  engine: Engine;
  workspace: Workspace;
  /** Largest request body accepted (413 above it); 1 MiB by default. */
  bodyLimitBytes?: number;
  /**
   * Reverse proxies in front of the server whose X-Forwarded-For / -Proto to believe (0, the
   * default: none; the socket's peer is the client).
   */
  trustedProxies?: number;
  /** The browser apps served outside /api (the end-user app at `/`, the designer at `/designer`). */
  webApps?: WebApp[];
}

/** The REST API under `/api` (definitions, records, OpenAPI and its reference page) and the web apps. */
export function createApp(options: AppOptions): Hono<ApiEnv> {
  const { engine, workspace } = options;
  const maxSize = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const trust = { trustedProxies: options.trustedProxies ?? 0 };
  const app = new Hono<ApiEnv>();

  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) =>
    problemResponse(c, new HttpProblem('route-not-found', `no endpoint at ${c.req.method} ${c.req.path}`)),
  );
  app.use(compression());
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          c,
          new HttpProblem('method-not-allowed', `${c.req.method} is not allowed here`, [], {
            Allow: methods.join(', '),
          }),
        ),
    }),
  );
  app.use('/api/*', async (c, next) => {
    const limit = c.req.path.startsWith('/api/package/') ? Math.max(maxSize, PACKAGE_BODY_LIMIT) : maxSize;
    c.set('bodyLimit', limit);
    const declared = Number(c.req.header('content-length'));
    // an upload's limit is its field's (see files.ts)
    if (declared > limit && !UPLOAD_PATH.test(c.req.path)) throw payloadTooLarge(limit);
    await next();
  });
  app.use('/api/*', refuseNulInPath);
  app.use('/api/*', authentication(workspace, trust));

  app.get('/api/health', (c) => c.json({ status: 'ok', database: engine.db.kind }));
  app.route('/api/auth', authRoutes(workspace, trust));
  app.route('/api/org/directory', directoryRoutes(workspace.identity)); // before /api/org: not for admins only
  app.route('/api/org', orgRoutes(workspace));
  app.route('/api/meta', archivedColumnRoutes(workspace));
  app.route('/api/meta/feel', feelRoutes(engine, workspace));
  app.route('/api/meta', metaRoutes(engine, workspace));
  app.route('/api/modules', exportRoutes(workspace)); // before the records: 'export' is no record id
  app.route('/api/modules', bulkRoutes(workspace));
  app.route('/api/modules', shareRoutes(workspace));
  app.route('/api/modules', recycleBinRoutes(workspace));
  app.route('/api/modules', recordApprovalRoutes(workspace));
  app.route('/api/modules', recordActionRoutes(workspace));
  app.route('/api/modules', poolRoutes(workspace));
  app.route('/api/modules', recordRoutes(workspace));
  const files = fileRoutes(workspace);
  app.route('/api/modules', files.uploads);
  app.route('/api/files', files.downloads);
  app.route('/api/approvals/files', files.approvalUploads); // before the approvals: 'files' is no task
  app.route('/api/views', viewRoutes(workspace));
  app.route('/api/roles', roleRoutes(workspace));
  app.route('/api/package', packageRoutes(workspace));
  app.route('/api/workflows', workflowRoutes(workspace));
  app.route('/api/notifications', notificationRoutes(workspace));
  app.route('/api/approvals', approvalRoutes(workspace));
  app.route('/api/admin/operation-log', operationLogRoutes(workspace));
  app.route('/api/admin/plugins', pluginAdminRoutes(workspace));
  app.route('/api/admin/webhooks', webhookRoutes(workspace));
  app.route('/api/plugins', pluginRoutes(workspace));
  app.route('/api/openapi.json', openApiRoutes(engine, workspace));
  app.route('/api/docs', docsRoutes());
  mountWebApps(app, options.webApps);
  return app;
}
