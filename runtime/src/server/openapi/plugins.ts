import type { JsonSchema } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// Plugin administration in the OpenAPI document. Plugins' own routes (`/api/plugins/{name}/…`) are
// theirs to describe; the tag says where they live.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const tags = ['plugins'];
const admin = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const nameParameter = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const localeText = { type: 'object', additionalProperties: { type: 'string' } };
const status = (description: string) => ({
  description,
  content: json(schemaRef(crmSchema('PluginStatus'))),
});

export const pluginsTag = {
  name: 'plugins',
  description:
    'Plugins listed in crm.config.json: their state (admins). Each enabled plugin serves its own routes under ' +
    '`/api/plugins/{name}/`, authenticated like the rest of the API (a token needs a records scope).',
};

export const pluginSchemas: Record<string, JsonSchema> = {
  [crmSchema('PluginStatus')]: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      version: { type: 'string', description: 'The version the server runs' },
      label: { oneOf: [localeText, { type: 'null' }] },
      state: { enum: ['enabled', 'disabled', 'uninstalled'] },
      installedVersion: { type: ['string', 'null'], description: 'The version whose migrations ran last' },
      installedAt: { type: ['string', 'null'], format: 'date-time' },
      lastError: {
        type: ['object', 'null'],
        properties: { at: { type: 'string', format: 'date-time' }, message: { type: 'string' } },
        description: 'The newest failure of its hooks, actions, routes or jobs',
      },
      contributes: {
        type: 'object',
        properties: {
          fieldTypes: { type: 'array', items: { type: 'string' } },
          hooks: { type: 'array', items: { type: 'string' }, description: 'Modules hooked (* for all)' },
          actions: { type: 'array', items: { type: 'string' } },
          jobs: { type: 'array', items: { type: 'string' } },
          routes: { type: 'boolean' },
          definitions: { type: 'boolean' },
        },
      },
    },
    required: ['name', 'version', 'state', 'installedVersion', 'lastError', 'contributes'],
  },
};

const change = (operationId: string, summary: string, done: string) => ({
  post: {
    tags,
    operationId,
    summary,
    parameters: [nameParameter],
    responses: { 200: status(done), 404: responseRef('NotFound'), 409: responseRef('Conflict'), ...admin },
  },
});

export const pluginPaths: Record<string, JsonSchema> = {
  '/api/admin/plugins': {
    get: {
      tags,
      operationId: 'listPlugins',
      summary: 'The configured plugins, in hook order, with their states',
      responses: {
        200: {
          description: 'The plugins',
          content: json({
            type: 'object',
            properties: { data: { type: 'array', items: schemaRef(crmSchema('PluginStatus')) } },
            required: ['data'],
          }),
        },
        ...admin,
      },
    },
  },
  '/api/admin/plugins/{name}': {
    get: {
      tags,
      operationId: 'getPlugin',
      summary: 'One plugin',
      parameters: [nameParameter],
      responses: { 200: status('The plugin'), 404: responseRef('NotFound'), ...admin },
    },
    delete: {
      tags,
      operationId: 'uninstallPlugin',
      summary: 'Uninstall: its hooks, actions, routes and jobs stop; its data stays unless purge=true',
      parameters: [nameParameter, { name: 'purge', in: 'query', schema: { type: 'boolean' } }],
      responses: {
        200: status('Uninstalled'),
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
        ...admin,
      },
    },
  },
  '/api/admin/plugins/{name}/enable': change('enablePlugin', 'Enable a disabled plugin', 'Enabled'),
  '/api/admin/plugins/{name}/disable': change(
    'disablePlugin',
    'Disable a plugin: its hooks, actions, routes and jobs stop (its field types stay)',
    'Disabled',
  ),
  '/api/admin/plugins/{name}/install': change(
    'installPlugin',
    'Install an uninstalled plugin again (migrations not run yet, then its definitions)',
    'Installed and enabled',
  ),
};
