import type { JsonSchema } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// Outbound webhooks in the OpenAPI document: subscriptions, their delivery log and redelivery.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const tags = ['webhooks'];
const admin = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const events = { type: 'array', items: { enum: ['created', 'updated', 'deleted'] }, minItems: 1 };
const webhook = (description: string) => ({
  description,
  content: json(schemaRef(crmSchema('Webhook'))),
});
const withSecret = (description: string) => ({
  description,
  content: json({
    allOf: [
      schemaRef(crmSchema('Webhook')),
      {
        type: 'object',
        properties: { secret: { type: 'string', description: 'The signing secret, shown this once' } },
        required: ['secret'],
      },
    ],
  }),
});
const deliveryResponse = (description: string) => ({
  description,
  content: json(schemaRef(crmSchema('WebhookDelivery'))),
});

export const webhooksTag = {
  name: 'webhooks',
  description:
    'Outbound webhooks (admins): each committed create, update or delete of a subscribed module that passes ' +
    'the FEEL filter is POSTed as JSON to the URL, with `Idempotency-Key` = the event id and `X-CRM-Signature: ' +
    't=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`; non-2xx answers are retried with backoff.',
};

const input = (required: string[]) => ({
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri', description: 'http or https' },
    description: { type: ['string', 'null'], maxLength: 500 },
    modules: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Published module names' },
    events,
    filter: {
      type: ['string', 'null'],
      description: 'FEEL over old (null on create), new (null on delete) and actor (user id); true sends',
    },
    active: { type: 'boolean', description: 'Default true; activating again clears the failure count' },
  },
  required,
  additionalProperties: false,
});

export const webhookSchemas: Record<string, JsonSchema> = {
  [crmSchema('Webhook')]: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      url: { type: 'string' },
      description: { type: ['string', 'null'] },
      modules: { type: 'array', items: { type: 'string' } },
      events,
      filter: { type: ['string', 'null'] },
      active: { type: 'boolean' },
      disabledReason: {
        type: ['string', 'null'],
        description: 'Set when the server deactivated it after deliveries failed in a row',
      },
      consecutiveFailures: { type: 'integer' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
    required: ['id', 'url', 'modules', 'events', 'filter', 'active', 'consecutiveFailures'],
  },
  [crmSchema('WebhookDelivery')]: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      eventId: { type: 'string', format: 'uuid', description: 'Also the Idempotency-Key of every attempt' },
      event: { enum: ['record.created', 'record.updated', 'record.deleted'] },
      module: { type: ['string', 'null'] },
      recordId: { type: 'string', format: 'uuid' },
      state: { enum: ['pending', 'delivered', 'failed'] },
      attempts: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            at: { type: 'string', format: 'date-time' },
            status: { type: ['integer', 'null'], description: 'Null when no answer came' },
            durationMs: { type: 'integer' },
            error: { type: ['string', 'null'] },
            response: { type: ['string', 'null'], description: 'The first 1,000 characters of the answer' },
          },
        },
      },
      lastError: { type: ['string', 'null'] },
      nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      endedAt: { type: ['string', 'null'], format: 'date-time' },
      payload: {
        type: 'object',
        description: 'The envelope as sent: id, type, module, recordId, occurredAt, actor, data',
      },
    },
    required: ['id', 'eventId', 'event', 'recordId', 'state', 'attempts', 'payload'],
  },
};

export const webhookPaths: Record<string, JsonSchema> = {
  '/api/admin/webhooks': {
    get: {
      tags,
      operationId: 'listWebhooks',
      summary: 'The webhook subscriptions (without their secrets)',
      responses: {
        200: {
          description: 'The webhooks',
          content: json({
            type: 'object',
            properties: { data: { type: 'array', items: schemaRef(crmSchema('Webhook')) } },
            required: ['data'],
          }),
        },
        ...admin,
      },
    },
    post: {
      tags,
      operationId: 'createWebhook',
      summary: 'Subscribe a URL to record events; the answer carries the signing secret once',
      requestBody: { required: true, content: json(input(['url', 'modules', 'events'])) },
      responses: { 201: withSecret('Created'), 422: responseRef('UnprocessableContent'), ...admin },
    },
  },
  '/api/admin/webhooks/{id}': {
    get: {
      tags,
      operationId: 'getWebhook',
      summary: 'One webhook',
      parameters: [idParameter],
      responses: { 200: webhook('The webhook'), 404: responseRef('NotFound'), ...admin },
    },
    patch: {
      tags,
      operationId: 'updateWebhook',
      summary: 'Change any of its settings',
      parameters: [idParameter],
      requestBody: { required: true, content: json(input([])) },
      responses: {
        200: webhook('Changed'),
        404: responseRef('NotFound'),
        422: responseRef('UnprocessableContent'),
        ...admin,
      },
    },
    delete: {
      tags,
      operationId: 'deleteWebhook',
      summary: 'Delete the webhook and its delivery log',
      parameters: [idParameter],
      responses: { 204: { description: 'Deleted' }, 404: responseRef('NotFound'), ...admin },
    },
  },
  '/api/admin/webhooks/{id}/rotate-secret': {
    post: {
      tags,
      operationId: 'rotateWebhookSecret',
      summary: 'A new signing secret (shown this once); every later attempt is signed with it',
      parameters: [idParameter],
      responses: {
        200: {
          description: 'The new secret',
          content: json({ type: 'object', properties: { secret: { type: 'string' } }, required: ['secret'] }),
        },
        404: responseRef('NotFound'),
        ...admin,
      },
    },
  },
  '/api/admin/webhooks/{id}/deliveries': {
    get: {
      tags,
      operationId: 'listWebhookDeliveries',
      summary: 'The newest deliveries, each with every attempt (status, duration, error, response excerpt)',
      parameters: [
        idParameter,
        { name: 'state', in: 'query', schema: { enum: ['pending', 'delivered', 'failed'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      ],
      responses: {
        200: {
          description: 'The deliveries, newest first',
          content: json({
            type: 'object',
            properties: { data: { type: 'array', items: schemaRef(crmSchema('WebhookDelivery')) } },
            required: ['data'],
          }),
        },
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
        ...admin,
      },
    },
  },
  '/api/admin/webhooks/{id}/deliveries/{delivery}/redeliver': {
    post: {
      tags,
      operationId: 'redeliverWebhook',
      summary: 'Send a delivered or failed delivery again: the same event id, a new round of attempts',
      parameters: [
        idParameter,
        { name: 'delivery', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ],
      responses: {
        202: deliveryResponse('Queued'),
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
        ...admin,
      },
    },
  },
};
