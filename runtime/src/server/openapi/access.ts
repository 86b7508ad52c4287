import {
  type CompiledModule,
  FIELD_RIGHTS,
  type JsonSchema,
  OPERATION_ACTIONS,
  roleMetaSchema,
} from '@crm/engine';
import { toOpenApiSchema } from './json-schema.ts';
import { crmSchema, parameterRef, responseRef, schemaRef } from './names.ts';

// Roles, sharing, assigning, exporting and the operation log in the OpenAPI document.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const body = (name: string) => ({ required: true, content: json(ref(name)) });
const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const bodyProblems = {
  400: responseRef('BadRequest'),
  413: responseRef('PayloadTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  422: responseRef('UnprocessableContent'),
};
const adminTags = ['access'];

export const accessTag = {
  name: 'access',
  description:
    'Roles (per module: read, create, update, delete, share, assign × own, department, ' +
    `department_tree, all; field rights ${FIELD_RIGHTS.join('/')}) and the operation log (admins)`,
};

export const accessSchemas: Record<string, JsonSchema> = {
  [crmSchema('RoleDefinition')]: toOpenApiSchema(roleMetaSchema, crmSchema('RoleDefinition')),
  [crmSchema('Role')]: {
    allOf: [
      ref('RoleDefinition'),
      {
        type: 'object',
        properties: {
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
        required: ['createdAt', 'updatedAt'],
      },
    ],
  },
  [crmSchema('NewShare')]: {
    type: 'object',
    properties: {
      principalType: { enum: ['user', 'department'] },
      principalId: { type: 'string', format: 'uuid' },
      access: { enum: ['read', 'edit'], description: 'A department share reaches everyone in it and below' },
    },
    required: ['principalType', 'principalId', 'access'],
    additionalProperties: false,
  },
  [crmSchema('Share')]: {
    type: 'object',
    properties: {
      principalType: { enum: ['user', 'department'] },
      principalId: { type: 'string', format: 'uuid' },
      access: { enum: ['read', 'edit'] },
      grantedBy: { type: ['string', 'null'], format: 'uuid' },
      grantedAt: { type: 'string', format: 'date-time' },
    },
    required: ['principalType', 'principalId', 'access', 'grantedBy', 'grantedAt'],
  },
  [crmSchema('Assignment')]: {
    type: 'object',
    properties: {
      owner: { type: 'string', format: 'uuid', description: 'An active user within your assign scope' },
      version: { type: 'integer', minimum: 1, description: 'The version last read (or If-Match)' },
    },
    required: ['owner'],
    additionalProperties: false,
  },
  [crmSchema('OperationEntry')]: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
      actor: { type: ['string', 'null'], format: 'uuid' },
      ip: { type: ['string', 'null'] },
      userAgent: { type: ['string', 'null'] },
      action: { enum: [...OPERATION_ACTIONS] },
      module: { type: ['string', 'null'], description: 'The module name (its id if no longer published)' },
      moduleId: { type: ['string', 'null'] },
      recordId: { type: ['string', 'null'], format: 'uuid' },
      details: {},
    },
    required: ['id', 'at', 'actor', 'ip', 'userAgent', 'action', 'module', 'moduleId', 'recordId', 'details'],
  },
};

const roleId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const query = (name: string, schema: JsonSchema, description?: string) => ({
  name,
  in: 'query',
  schema,
  ...(description ? { description } : {}),
});

export const accessPaths: Record<string, JsonSchema> = {
  '/api/roles': {
    get: {
      tags: adminTags,
      operationId: 'listRoles',
      summary: 'Every role',
      responses: { 200: ok('Roles', { type: 'array', items: ref('Role') }), ...guarded },
    },
    post: {
      tags: adminTags,
      operationId: 'createRole',
      summary: 'Create a role (modules and fields it names must exist)',
      requestBody: body('RoleDefinition'),
      responses: {
        201: ok('The role', ref('Role')),
        ...bodyProblems,
        ...guarded,
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/roles/{id}': {
    parameters: [roleId],
    get: {
      tags: adminTags,
      operationId: 'getRole',
      responses: { 200: ok('The role', ref('Role')), ...guarded, 404: responseRef('NotFound') },
    },
    put: {
      tags: adminTags,
      operationId: 'replaceRole',
      summary: 'Replace the definition of a role',
      requestBody: body('RoleDefinition'),
      responses: {
        200: ok('The role', ref('Role')),
        ...bodyProblems,
        ...guarded,
        404: responseRef('NotFound'),
      },
    },
    delete: {
      tags: adminTags,
      operationId: 'deleteRole',
      summary: 'Delete a role; whoever held it loses what it granted',
      responses: { 204: { description: 'Deleted' }, ...guarded, 404: responseRef('NotFound') },
    },
  },
  '/api/admin/operation-log': {
    get: {
      tags: adminTags,
      operationId: 'searchOperationLog',
      summary: 'Who did what, when and from where; newest first',
      parameters: [
        query('actor', { type: 'string', format: 'uuid' }),
        query('module', { type: 'string' }, 'Module name or id'),
        query('record', { type: 'string', format: 'uuid' }),
        query('action', { enum: [...OPERATION_ACTIONS] }),
        query('from', { type: 'string', format: 'date-time' }, 'Inclusive'),
        query('to', { type: 'string', format: 'date-time' }, 'Exclusive'),
        query('cursor', { type: 'string' }, 'The `nextCursor` of the previous page'),
        query('limit', { type: 'integer', minimum: 1, maximum: 500, default: 100 }),
      ],
      responses: {
        200: ok('A page of entries', {
          type: 'object',
          properties: {
            data: { type: 'array', items: ref('OperationEntry') },
            nextCursor: { type: ['string', 'null'] },
          },
          required: ['data', 'nextCursor'],
        }),
        400: responseRef('BadRequest'),
        ...guarded,
      },
    },
  },
};

/** A module's sharing, assign and export endpoints; `record` is its record schema's name. */
export function moduleAccessPaths(module: CompiledModule, record: string): Record<string, JsonSchema> {
  const base = `/api/modules/${module.name}/records`;
  const tags = [module.name];
  const op = (verb: string) => `${verb}${record}`;
  const missing = { 404: responseRef('NotFound') };
  return {
    [`${base}/export`]: {
      get: {
        tags,
        operationId: op('export'),
        summary: `Every ${module.name} record you may read, with the fields you may read (needs the export permission)`,
        parameters: [
          parameterRef('Filter'),
          parameterRef('Search'),
          query('sort', { type: 'string' }),
          query('fields', { type: 'string' }),
          query('format', { enum: ['csv', 'xlsx', 'jsonl'], default: 'csv' }),
        ],
        responses: {
          200: {
            description: 'The records, streamed',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: {
                  type: 'string',
                  contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                },
              },
              'application/jsonl': { schema: { type: 'string' } },
            },
          },
          400: responseRef('BadRequest'),
          ...guarded,
        },
      },
    },
    [`${base}/{id}/shares`]: {
      parameters: [parameterRef('RecordId')],
      get: {
        tags,
        operationId: op('listShares'),
        summary: 'Who the record is shared with',
        responses: { 200: ok('Shares', { type: 'array', items: ref('Share') }), ...guarded, ...missing },
      },
      post: {
        tags,
        operationId: op('share'),
        summary: 'Share the record with a user or a department (needs the share permission on it)',
        requestBody: body('NewShare'),
        responses: { 201: ok('The share', ref('Share')), ...bodyProblems, ...guarded, ...missing },
      },
    },
    [`${base}/{id}/shares/{principalType}/{principalId}`]: {
      parameters: [
        parameterRef('RecordId'),
        { name: 'principalType', in: 'path', required: true, schema: { enum: ['user', 'department'] } },
        { name: 'principalId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ],
      delete: {
        tags,
        operationId: op('unshare'),
        summary: 'Stop sharing the record with a user or a department',
        responses: { 204: { description: 'Revoked' }, ...guarded, ...missing },
      },
    },
    [`${base}/{id}/assign`]: {
      parameters: [parameterRef('RecordId')],
      post: {
        tags,
        operationId: op('assign'),
        summary: 'Give the record to another owner (needs the assign permission on it)',
        parameters: [parameterRef('IfMatch')],
        requestBody: body('Assignment'),
        responses: {
          200: ok('The record', schemaRef(record)),
          ...bodyProblems,
          ...guarded,
          ...missing,
          409: responseRef('Conflict'),
        },
      },
    },
  };
}
