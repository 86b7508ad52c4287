import type { JsonSchema } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// In-app notifications in the OpenAPI document: each user's own.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const guarded = { 401: responseRef('Unauthorized') };
const tags = ['notifications'];
const localeText = {
  oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }],
  description: 'One text, or one per locale (`en`, `zh-CN`)',
};
const query = (name: string, schema: JsonSchema, description?: string) => ({
  name,
  in: 'query',
  schema,
  ...(description ? { description } : {}),
});

export const notificationTag = {
  name: 'notifications',
  description: 'Your in-app notifications: approval tasks, CC, results of flows, reminders',
};

export const notificationSchemas: Record<string, JsonSchema> = {
  [crmSchema('Notification')]: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      kind: { type: 'string', description: 'What happened: approval-task, approval-cc, workflow …' },
      title: localeText,
      body: { oneOf: [localeText, { type: 'null' }] },
      link: {
        type: ['object', 'null'],
        properties: {
          module: { type: 'string' },
          recordId: { type: 'string', format: 'uuid' },
          instanceId: { type: 'string', format: 'uuid' },
          taskId: { type: 'string', format: 'uuid' },
        },
      },
      createdAt: { type: 'string', format: 'date-time' },
      readAt: { type: ['string', 'null'], format: 'date-time' },
    },
    required: ['id', 'kind', 'title', 'body', 'link', 'createdAt', 'readAt'],
  },
};

const unread = { type: 'integer', description: 'Your unread notifications' };

export const notificationPaths: Record<string, JsonSchema> = {
  '/api/notifications': {
    get: {
      tags,
      operationId: 'listNotifications',
      summary: 'Your notifications, newest first, with the unread count',
      parameters: [
        query('unread', { type: 'boolean' }, 'Only unread ones'),
        query('cursor', { type: 'string' }, 'The `nextCursor` of the previous page'),
        query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
      ],
      responses: {
        200: ok('A page of notifications', {
          type: 'object',
          properties: {
            data: { type: 'array', items: schemaRef(crmSchema('Notification')) },
            nextCursor: { type: ['string', 'null'] },
            unread,
          },
          required: ['data', 'nextCursor', 'unread'],
        }),
        400: responseRef('BadRequest'),
        ...guarded,
      },
    },
  },
  '/api/notifications/unread-count': {
    get: {
      tags,
      operationId: 'countUnreadNotifications',
      summary: 'How many of your notifications are unread',
      responses: {
        200: ok('The count', { type: 'object', properties: { unread }, required: ['unread'] }),
        ...guarded,
      },
    },
  },
  '/api/notifications/read': {
    post: {
      tags,
      operationId: 'markNotificationsRead',
      summary: 'Mark your notifications read: the given ids, or all without a body',
      requestBody: {
        required: false,
        content: json({
          type: 'object',
          properties: { ids: { type: 'array', items: { type: 'string', format: 'uuid' } } },
        }),
      },
      responses: {
        200: ok('How many changed', {
          type: 'object',
          properties: { updated: { type: 'integer' } },
          required: ['updated'],
        }),
        400: responseRef('BadRequest'),
        ...guarded,
      },
    },
  },
};
