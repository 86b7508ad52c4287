import {
  type Engine,
  type ModuleState,
  OPERATORS,
  type PublishOptions,
  type PublishPreview,
  titleFieldOf,
  type Workspace,
} from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { formSchemasFor, withRelationTargets } from './form-schema.ts';
import { requestLocale } from './locale.ts';
import { queryParams } from './params.ts';
import { httpProblem, toApiError } from './problem.ts';

const MAX_PUBLISH_MODULES = 500;

/** A module's state as the API shows it: problems in the API's error shape. */
function moduleStateBody(state: ModuleState) {
  return { ...state, draftProblems: state.draftProblems.map(toApiError) };
}

function previewBody<T extends PublishPreview>(preview: T) {
  return { ...preview, problems: preview.problems.map(toApiError) };
}

/**
 * `{ modules?: string[], confirmDataLoss?: boolean }` of the publish endpoints; a missing body means
 * every draft, with no loss of data confirmed.
 */
function publishRequest(body: unknown): { modules: string[] | undefined; options: PublishOptions } {
  if (body === undefined) return { modules: undefined, options: {} };
  if (!isPlainObject(body)) throw httpProblem('invalid-request', '', 'type', 'must be a JSON object');
  for (const key of Object.keys(body)) {
    if (key !== 'modules' && key !== 'confirmDataLoss') {
      throw httpProblem(
        'invalid-request',
        `/${key}`,
        'unknown-key',
        "only 'modules' and 'confirmDataLoss' are allowed",
      );
    }
  }
  const { confirmDataLoss } = body;
  if (confirmDataLoss !== undefined && typeof confirmDataLoss !== 'boolean') {
    throw httpProblem('invalid-request', '/confirmDataLoss', 'type', 'must be true or false');
  }
  return { modules: modulesToPublish(body.modules), options: { confirmDataLoss: confirmDataLoss === true } };
}

function modulesToPublish(modules: unknown): string[] | undefined {
  if (modules === undefined) return undefined;
  if (!Array.isArray(modules) || modules.length === 0 || modules.length > MAX_PUBLISH_MODULES) {
    throw httpProblem(
      'invalid-request',
      '/modules',
      'type',
      `must be a list of 1 to ${MAX_PUBLISH_MODULES} module ids or names (leave it out to publish every draft)`,
    );
  }
  modules.forEach((name, i) => {
    if (typeof name !== 'string' || name.length === 0 || name.length > 64) {
      throw httpProblem('invalid-request', `/modules/${i}`, 'type', 'must be a module id or name');
    }
  });
  return modules as string[];
}

function versionNumber(text: string): number | undefined {
  const version = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  return version >= 1 ? version : undefined;
}

/** Definitions: drafts, published versions, publishing, form schemas and the field types. */
export function metaRoutes(engine: Engine, workspace: Workspace): Hono<ApiEnv> {
  const { definitions, catalog } = workspace;
  const app = new Hono<ApiEnv>();
  // Everyone reads the definitions (forms are built from them); only administrators change them.
  app.use('*', async (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : adminOnly(c, next),
  );

  app.get('/modules', async (c) => c.json(await definitions.list()));

  app.post('/modules', async (c) => {
    const body = await readJsonBody(c);
    if (isPlainObject(body) && typeof body.id === 'string') {
      const existing = (await definitions.list()).find((m) => m.id === body.id);
      if (existing) {
        throw httpProblem(
          'conflict',
          '/id',
          'exists',
          `module '${existing.name}' already has this id; PUT its draft`,
        );
      }
    }
    const draft = await definitions.saveDraft(body);
    const state = await definitions.get(draft.id);
    return c.json(moduleStateBody(state), 201, {
      Location: `/api/meta/modules/${encodeURIComponent(draft.id)}`,
    });
  });

  app.get('/modules/:module', async (c) =>
    c.json(moduleStateBody(await definitions.get(c.req.param('module')))),
  );

  app.put('/modules/:module/draft', async (c) => {
    const body = await readJsonBody(c);
    const { id } = await definitions.get(c.req.param('module'));
    await definitions.saveDraft(body, id);
    return c.json(moduleStateBody(await definitions.get(id)));
  });

  app.delete('/modules/:module/draft', async (c) => {
    await definitions.discardDraft(c.req.param('module'));
    return c.body(null, 204);
  });

  app.get('/modules/:module/versions', async (c) =>
    c.json(await definitions.versions(c.req.param('module'))),
  );

  app.get('/modules/:module/versions/:version', async (c) => {
    const name = c.req.param('module');
    const version = versionNumber(c.req.param('version'));
    if (version === undefined) {
      throw httpProblem(
        'not-found',
        '',
        'not-found',
        `version '${c.req.param('version')}' of module '${name}' not found`,
      );
    }
    const found = await definitions.version(name, version);
    return c.json({ version, ...found });
  });

  app.get('/modules/:module/diff', async (c) => {
    const { from, to } = queryParams(c, ['from', 'to']);
    const which = (text: string | undefined, name: string): number | 'draft' => {
      if (text === 'draft') return 'draft';
      const version = text === undefined ? undefined : versionNumber(text);
      if (version === undefined) {
        throw httpProblem('invalid-query', `/${name}`, 'type', "must be a version number or 'draft'");
      }
      return version;
    };
    return c.json(await definitions.diff(c.req.param('module'), which(from, 'from'), which(to, 'to')));
  });

  // a roll back: the old version becomes the draft, published through the normal preview and publish
  app.post('/modules/:module/versions/:version/restore', async (c) => {
    const version = versionNumber(c.req.param('version'));
    if (version === undefined) {
      throw httpProblem('not-found', '', 'not-found', `version '${c.req.param('version')}' not found`);
    }
    return c.json(moduleStateBody(await definitions.draftFromVersion(c.req.param('module'), version)));
  });

  app.put('/modules/:module/archived', async (c) => {
    const body = await readJsonBody(c);
    if (!isPlainObject(body) || typeof body.archived !== 'boolean' || Object.keys(body).length !== 1) {
      throw httpProblem(
        'invalid-request',
        '/archived',
        'type',
        'send { "archived": true } or { "archived": false }',
      );
    }
    return c.json(await definitions.setArchived(c.req.param('module'), body.archived, c.var.actor));
  });

  app.get('/modules/:module/schema', async (c) => {
    const { locale: localeParam } = queryParams(c, ['locale']);
    const locale = requestLocale(localeParam, c.req.header('accept-language'));
    const name = c.req.param('module');
    const module = catalog.byId(name) ?? catalog.byName(name);
    const access = await workspace.records.fieldAccess(module.name, c.var.actor);
    const form = formSchemasFor(module.jsonSchema(locale), module.uiSchema(locale), access);
    const uiSchema = withRelationTargets(form.uiSchema, (id) => {
      const target = catalog.byId(id)?.definition;
      return target && { module: target.name, titleField: titleFieldOf(target) };
    });
    const related = await workspace.records.relatedLists(module.name, c.var.actor);
    return c.json(
      { ...form, uiSchema, related, titleField: titleFieldOf(module.definition), version: module.version },
      200,
      {
        'Content-Language': locale,
        Vary: 'Accept-Language',
      },
    );
  });

  app.post('/publish/preview', async (c) => {
    const { modules, options } = publishRequest(await readJsonBody(c, { optional: true }));
    return c.json(previewBody(await definitions.preview(modules, options)));
  });

  app.post('/publish', async (c) => {
    const { modules, options } = publishRequest(await readJsonBody(c, { optional: true }));
    return c.json(previewBody(await definitions.publish(modules, c.var.actor, options)));
  });

  app.get('/field-types', (c) =>
    c.json(
      engine.registry.all().map((type) => ({
        type: type.type,
        label: type.label,
        widget: type.widget,
        cell: type.cell ?? null,
        settings: { type: 'object', ...type.settings },
        computed: type.computed === true,
        sortable: type.sortable === true,
        search: type.search ? (type.search.byDefault ? 'default' : 'optIn') : null,
        // Formulas filter by their result type's family, so they list none of their own.
        filter: type.filter ?? null,
        operators: type.filter ? OPERATORS[type.filter] : [],
      })),
    ),
  );

  return app;
}
