import type { PluginContext, Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import type { ApiEnv } from './env.ts';
import { HttpProblem, httpProblem, problemResponse } from './problem.ts';

/** What a plugin's route handlers see (the SDK's PluginRouteEnv has the same shape). */
export interface PluginEnv {
  Variables: ApiEnv['Variables'] & { plugin: PluginContext };
  Bindings: ApiEnv['Bindings'];
}

type RouteInstaller = (app: Hono<PluginEnv>, ctx: PluginContext) => void;

/**
 * `/api/plugins/{name}/…`: each plugin's own routes, behind the API's authentication (the handler
 * finds the caller in `c.var.actor`). A disabled plugin's routes answer 404; a handler that throws
 * answers a problem naming the plugin, and the failure is logged.
 */
export function pluginRoutes(workspace: Workspace): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  for (const plugin of workspace.plugins.plugins) {
    if (typeof plugin.routes !== 'function') continue;
    const ctx = workspace.plugins.contextOf(plugin.name);
    const routes = new Hono<PluginEnv>();
    routes.use(async (c, next) => {
      if (!workspace.plugins.isEnabled(plugin.name)) {
        throw new HttpProblem('not-found', `plugin '${plugin.name}' is not enabled`);
      }
      c.set('plugin', ctx);
      await next();
    });
    routes.onError((error, c) =>
      problemResponse(
        c,
        error instanceof HttpProblem
          ? error
          : workspace.plugins.failure(plugin.name, `route ${c.req.method} ${c.req.path}`, error),
      ),
    );
    try {
      (plugin.routes as RouteInstaller)(routes, ctx);
    } catch (error) {
      workspace.plugins.failure(plugin.name, 'its routes', error);
      continue;
    }
    app.route(`/${plugin.name}`, routes);
  }
  return app;
}

/** `/api/admin/plugins`: the configured plugins and their states; enable, disable, install, uninstall. */
export function pluginAdminRoutes(workspace: Workspace): Hono<ApiEnv> {
  const plugins = workspace.plugins;
  const app = new Hono<ApiEnv>();
  app.use(adminOnly);
  app.get('/', (c) => c.json({ data: plugins.list() }));
  app.get('/:name', (c) => c.json(plugins.status(c.req.param('name'))));
  app.post('/:name/enable', async (c) => c.json(await plugins.enable(c.req.param('name'))));
  app.post('/:name/disable', async (c) => c.json(await plugins.disable(c.req.param('name'))));
  app.post('/:name/install', async (c) => c.json(await plugins.install(c.req.param('name'))));
  app.delete('/:name', async (c) => {
    const purge = c.req.query('purge');
    if (purge !== undefined && purge !== 'true' && purge !== 'false') {
      throw httpProblem('invalid-query', '/purge', 'type', 'must be true or false');
    }
    return c.json(await plugins.uninstall(c.req.param('name'), { purge: purge === 'true' }));
  });
  return app;
}
