import type { Engine, JsonSchema, Workspace } from '@crm/engine';
import { Hono } from 'hono';
import type { ApiEnv } from './env.ts';
import { buildOpenApiDocument } from './openapi/document.ts';

/**
 * `GET /api/openapi.json`, built from the live published modules. A publish (here or on another
 * server) changes the set of module versions, which is the cache key.
 */
export function openApiRoutes(engine: Engine, workspace: Workspace): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  let cached: { key: string; text: string } | undefined;
  const fieldTypes = engine.registry.all().map((t) => t.type);

  const documentText = (): string => {
    const modules = workspace.catalog.all();
    const key = modules
      .map((m) => `${m.id}@${m.version}`)
      .sort()
      .join(',');
    if (cached?.key !== key) {
      const document: JsonSchema = buildOpenApiDocument({
        modules,
        inverses: (id) => workspace.catalog.inverses(id),
        linkLists: (id) => workspace.catalog.linkLists(id),
        fieldTypes,
      });
      cached = { key, text: JSON.stringify(document) };
    }
    return cached.text;
  };

  app.get('/', (c) => c.body(documentText(), 200, { 'Content-Type': 'application/json; charset=utf-8' }));
  return app;
}
