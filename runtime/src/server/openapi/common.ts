import { DEFAULT_PAGE, type JsonSchema, MAX_PAGE, MAX_SEARCH_LENGTH, OPERATORS } from '@crm/engine';
import { PROBLEM_CONTENT_TYPE } from '../problem.ts';
import { crmSchema, schemaRef } from './names.ts';

const localeText: JsonSchema = {
  type: 'object',
  description: 'A text per locale, e.g. {"en": "Customer", "zh-CN": "客户"}',
  additionalProperties: { type: 'string' },
};

const apiError: JsonSchema = {
  type: 'object',
  properties: {
    pointer: {
      type: 'string',
      description: 'JSON pointer (RFC 6901) to the invalid value; "" for the whole input',
    },
    code: { type: 'string', description: 'Machine-readable reason, e.g. required, maxLength, unique, rule' },
    detail: { type: 'string', description: 'The reason in English' },
    messages: { ...localeText, description: 'The reason per locale' },
  },
  required: ['pointer', 'code', 'detail'],
};

const problem: JsonSchema = {
  type: 'object',
  description: 'An RFC 9457 problem document',
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: schemaRef(crmSchema('ApiError')) },
  },
  required: ['type', 'title', 'status', 'detail', 'instance', 'errors'],
};

const allOperators = [...new Set(Object.values(OPERATORS).flat())];

const filter: JsonSchema = {
  description:
    'Conditions {field, op, value} combined with {and: [...]}, {or: [...]} and {not: ...}; a field may go one ' +
    'step through a relation (customer.industry).',
  oneOf: [
    group('and'),
    group('or'),
    {
      type: 'object',
      properties: { not: schemaRef(crmSchema('Filter')) },
      required: ['not'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { field: { type: 'string' }, op: { enum: allOperators }, value: {} },
      required: ['field', 'op'],
      additionalProperties: false,
    },
  ],
};

function group(key: 'and' | 'or'): JsonSchema {
  return {
    type: 'object',
    properties: { [key]: { type: 'array', minItems: 1, items: schemaRef(crmSchema('Filter')) } },
    required: [key],
    additionalProperties: false,
  };
}

const historyEntry: JsonSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    op: {
      enum: ['create', 'update', 'delete', 'restore', 'revert'],
      description: '`delete` moved the record to the recycle bin, `restore` took it out',
    },
    revertedTo: { type: 'integer', description: 'On `revert`: the version the fields were set back to' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: ['string', 'null'], format: 'uuid' },
    changes: {
      type: 'object',
      description:
        'Per field: the value before and after (no `from` on create); a sub-table tells its rows added, changed (field by field) and removed in `rows`',
      additionalProperties: {
        type: 'object',
        properties: {
          from: {},
          to: {},
          rows: {
            type: 'object',
            properties: {
              added: { type: 'array', items: { type: 'object' } },
              changed: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string', format: 'uuid' },
                    position: {
                      type: 'object',
                      properties: { from: { type: 'integer' }, to: { type: 'integer' } },
                    },
                    fields: {
                      type: 'object',
                      additionalProperties: { type: 'object', properties: { from: {}, to: {} } },
                    },
                  },
                  required: ['id', 'fields'],
                },
              },
              removed: { type: 'array', items: { type: 'object' } },
            },
            required: ['added', 'changed', 'removed'],
          },
        },
      },
    },
  },
  required: ['version', 'op', 'at', 'actor', 'changes'],
};

export const commonSchemas: Record<string, JsonSchema> = {
  [crmSchema('LocaleText')]: localeText,
  [crmSchema('ApiError')]: apiError,
  [crmSchema('Problem')]: problem,
  [crmSchema('Filter')]: filter,
  [crmSchema('HistoryEntry')]: historyEntry,
};

function problemResponse(description: string): JsonSchema {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef(crmSchema('Problem')) } } };
}

export const commonResponses: Record<string, JsonSchema> = {
  BadRequest: problemResponse('Malformed JSON, or an invalid query parameter or header'),
  NotFound: problemResponse('No such module, record or endpoint'),
  Conflict: problemResponse('The change conflicts with the stored state'),
  Locked: problemResponse(
    'The record is in approval and locked until the approval ends; `lockedBy` names the approval (instanceId, process)',
  ),
  PayloadTooLarge: problemResponse('The body is larger than the server accepts'),
  UnsupportedMediaType: problemResponse('The body is not application/json'),
  UnprocessableContent: problemResponse(
    'The body is well-formed but not valid; `errors` names each invalid value',
  ),
};

export const commonParameters: Record<string, JsonSchema> = {
  RecordId: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
  Filter: {
    name: 'filter',
    in: 'query',
    description: 'The filter language as JSON text',
    content: { 'application/json': { schema: schemaRef(crmSchema('Filter')) } },
  },
  Search: {
    name: 'q',
    in: 'query',
    description:
      'Keywords: records holding every word or Chinese text in a searchable field you may read ' +
      '(any part of Chinese text, words case-insensitively, the last word by its start, phone numbers by their digits)',
    schema: { type: 'string', maxLength: MAX_SEARCH_LENGTH },
  },
  Limit: {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
  },
  Cursor: {
    name: 'cursor',
    in: 'query',
    description: 'The `nextCursor` of the previous page (same filter and sort)',
    schema: { type: 'string' },
  },
  Count: {
    name: 'count',
    in: 'query',
    description: 'Also return `total`, the number of matching records',
    schema: { type: 'boolean', default: false },
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    description: 'The ETag (quoted version) last read; a record changed since then gives 409',
    schema: { type: 'string', example: '"3"' },
  },
};
