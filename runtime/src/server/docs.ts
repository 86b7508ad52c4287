import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { ApiEnv } from './env.ts';
import { httpProblem } from './problem.ts';

/** The swagger-ui-dist files the page uses, served from node_modules so the page works offline. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>CRM API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

/** No inline script and nothing from elsewhere: the page only talks to this server. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

function swaggerUiFolder(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/** The API reference page at `/api/docs`, pointed at `/api/openapi.json`. */
export function docsRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const folder = swaggerUiFolder();
  const cache = new Map<string, Promise<Buffer>>();

  app.get('/', (c) => c.html(PAGE, 200, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY }));

  app.get('/init.js', (c) => c.body(INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

  app.get('/:asset', async (c) => {
    const asset = c.req.param('asset');
    const contentType = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (!contentType) throw httpProblem('route-not-found', '', 'route-not-found', `no such file: ${asset}`);
    let content = cache.get(asset);
    if (!content) {
      content = readFile(join(folder, asset));
      cache.set(asset, content);
    }
    return c.body(new Uint8Array(await content), 200, {
      'Content-Type': contentType,
      'Cache-Control': 'public, max-age=86400',
    });
  });

  return app;
}
