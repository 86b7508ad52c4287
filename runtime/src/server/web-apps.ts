import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import type { ApiEnv } from './env.ts';
import { HttpProblem } from './problem.ts';

/** A browser app built by Vite: served at `path` from `dir`, with its index.html for any unknown path. */
export interface WebApp {
  /** `/` or `/designer`. */
  path: string;
  /** The folder `vite build` wrote (holds index.html and assets/). */
  dir: string;
}

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The end-user app at `/` and the designer at `/designer`, from their build folders in the repository. */
export const DEFAULT_WEB_APPS: WebApp[] = [
  { path: '/designer', dir: join(repositoryRoot, 'designer', 'dist') },
  { path: '/', dir: join(repositoryRoot, 'runtime', 'web', 'dist') },
];

// Vite names what it writes to assets/ by content hash: it never changes under a name. Anything else
// (index.html, a favicon) must be asked again.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function cached(response: Response, policy: string): Response {
  response.headers.set('Cache-Control', policy);
  return response;
}

function within(app: WebApp, path: string): boolean {
  return app.path === '/' || path === app.path || path.startsWith(`${app.path}/`);
}

/**
 * Serves the web apps (any GET outside /api): a file of the build when there is one, else the app's
 * index.html so the browser router shows the page (SPA fallback). Apps not built answer a 404 that says so.
 */
export function mountWebApps(app: Hono<ApiEnv>, apps: WebApp[] = DEFAULT_WEB_APPS): void {
  // longest path first: /designer/x is the designer's, not the runtime app's
  const ordered = [...apps].sort((a, b) => b.path.length - a.path.length);
  const servers = new Map<WebApp, { files: MiddlewareHandler; index: MiddlewareHandler }>();
  // The build may appear after the server started (tests, `vite build --watch`): look for it until found.
  const serversOf = (webApp: WebApp) => {
    let found = servers.get(webApp);
    if (!found && existsSync(join(webApp.dir, 'index.html'))) {
      const strip = (path: string) => (webApp.path === '/' ? path : path.slice(webApp.path.length) || '/');
      found = {
        files: serveStatic({ root: webApp.dir, rewriteRequestPath: strip }),
        index: serveStatic({ path: join(webApp.dir, 'index.html') }),
      };
      servers.set(webApp, found);
    }
    return found;
  };

  // a middleware, not a GET route: a route on every path would turn each unknown POST into a 405
  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (path === '/api' || path.startsWith('/api/')) return next();
    const webApp = ordered.find((candidate) => within(candidate, path));
    if (!webApp) return next();
    const server = serversOf(webApp);
    if (!server) {
      throw new HttpProblem(
        'not-found',
        `the web app at ${webApp.path} is not built: run \`npx -y pnpm@10.34.9 run build:web\``,
      );
    }
    // a missing asset (a stale hashed name) is a 404, not the page: the browser would run HTML as script
    const hashed = /\/assets\/[^/]+$/.test(path);
    const isAsset = hashed || /\.[a-z0-9]+$/i.test(path.split('/').pop() ?? '');
    // (serveStatic's onFound runs after its response is made: headers set there are lost)
    const file = await server.files(c, async () => {});
    if (file) return cached(file, hashed ? IMMUTABLE : REVALIDATE);
    if (isAsset) return next();
    const page = await server.index(c, async () => {});
    if (page) return cached(page, REVALIDATE);
    return next();
  });
}
