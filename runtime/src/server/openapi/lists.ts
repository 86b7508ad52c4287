import type { JsonSchema } from '@crm/engine';
import { MAX_BULK, MAX_VIEWS_PER_MODULE } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// Saved list views (`/api/views`) and bulk edits and deletes of a module's records.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const bodyProblems = {
  400: responseRef('BadRequest'),
  413: responseRef('PayloadTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  422: responseRef('UnprocessableContent'),
};

export const viewsTag = {
  name: 'views',
  description: `Your own saved list views (filter, keyword, sort, columns; at most ${MAX_VIEWS_PER_MODULE} per module)`,
};

const settings: Record<string, JsonSchema> = {
  filter: { type: 'object', description: "The list's filter (as the records list's `filter`)" },
  q: { type: 'string', maxLength: 100, description: 'Keyword search' },
  sort: { type: 'string', description: '`-amount,name`' },
  columns: { type: 'array', items: { type: 'string' }, description: 'Field names shown, in order' },
  mode: { enum: ['table', 'kanban'] },
};

export const listSchemas: Record<string, JsonSchema> = {
  [crmSchema('NewSavedView')]: {
    type: 'object',
    properties: {
      module: { type: 'string' },
      name: { type: 'string', minLength: 1, maxLength: 100 },
      ...settings,
    },
    required: ['module', 'name'],
    additionalProperties: false,
  },
  [crmSchema('SavedViewChanges')]: {
    type: 'object',
    properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, ...settings },
    additionalProperties: false,
  },
  [crmSchema('SavedView')]: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      module: { type: 'string' },
      name: { type: 'string' },
      ...settings,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
    required: ['id', 'module', 'name', 'createdAt', 'updatedAt'],
  },
  [crmSchema('BulkRequest')]: {
    type: 'object',
    properties: {
      action: { enum: ['update', 'delete'] },
      ids: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_BULK,
        uniqueItems: true,
        items: { type: 'string', format: 'uuid' },
      },
      patch: { type: 'object', description: 'update: the fields to set on every record' },
    },
    required: ['action', 'ids'],
    additionalProperties: false,
  },
};

const viewId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const tags = ['views'];

export const listPaths: Record<string, JsonSchema> = {
  '/api/views': {
    get: {
      tags,
      operationId: 'listSavedViews',
      summary: "Your saved views of a module's list",
      parameters: [{ name: 'module', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        200: ok('Views by name', { type: 'array', items: ref('SavedView') }),
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
        ...guarded,
      },
    },
    post: {
      tags,
      operationId: 'createSavedView',
      summary: 'Save a view (its filter, keyword and sort are checked as the list checks them)',
      requestBody: { required: true, content: json(ref('NewSavedView')) },
      responses: {
        201: ok('The view', ref('SavedView')),
        ...bodyProblems,
        ...guarded,
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/views/{id}': {
    parameters: [viewId],
    get: {
      tags,
      operationId: 'getSavedView',
      summary: 'One of your views',
      responses: { 200: ok('The view', ref('SavedView')), 404: responseRef('NotFound'), ...guarded },
    },
    patch: {
      tags,
      operationId: 'updateSavedView',
      summary: 'Rename a view or replace the settings given',
      requestBody: { required: true, content: json(ref('SavedViewChanges')) },
      responses: {
        200: ok('The view', ref('SavedView')),
        ...bodyProblems,
        ...guarded,
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
    delete: {
      tags,
      operationId: 'deleteSavedView',
      summary: 'Delete one of your views',
      responses: { 204: { description: 'Deleted' }, 404: responseRef('NotFound'), ...guarded },
    },
  },
};

/** A module's bulk endpoint; `record` is its record schema's name. */
export function moduleBulkPaths(moduleName: string, record: string): Record<string, JsonSchema> {
  return {
    [`/api/modules/${moduleName}/records/bulk`]: {
      post: {
        tags: [moduleName],
        operationId: `bulk${record}`,
        summary:
          'Set fields on many records or delete them: all or nothing; a 422 lists each failed record ' +
          '(`records[]`: id, index, errors)',
        requestBody: { required: true, content: json(ref('BulkRequest')) },
        responses: {
          200: ok('What was done', {
            type: 'object',
            properties: {
              updated: { type: 'integer' },
              records: { type: 'array', items: schemaRef(record) },
              deleted: { type: 'integer' },
            },
          }),
          ...bodyProblems,
          ...guarded,
          404: responseRef('NotFound'),
        },
      },
    },
  };
}
