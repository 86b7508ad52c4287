import type { JsonSchema } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// Triggers and operations of workflows in the OpenAPI document: manual actions on records, the action
// palette, schedules.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const list = (name: string) => ({ type: 'array', items: ref(name) });
const localeText = { type: 'object', additionalProperties: { type: 'string' }, description: 'en, zh-CN' };
const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };

export const workflowTriggerSchemas: Record<string, JsonSchema> = {
  [crmSchema('RecordAction')]: {
    type: 'object',
    description: 'A manual workflow action offered on a record (crm:trigger on="manual")',
    properties: {
      processId: { type: 'string' },
      version: { type: 'integer', description: 'The latest version, which a click starts' },
      processName: { type: 'string' },
      elementId: { type: 'string', description: 'The start event it starts at' },
      label: localeText,
    },
    required: ['processId', 'version', 'processName', 'elementId', 'label'],
  },
  [crmSchema('WorkflowSchedule')]: {
    type: 'object',
    description: 'A timer start event of the latest version of a process',
    properties: {
      processId: { type: 'string' },
      version: { type: 'integer' },
      elementId: { type: 'string' },
      timer: { type: 'string', description: 'ISO 8601 cycle, cron expression, date or duration' },
      kind: { enum: ['cycle', 'date', 'duration'] },
      fired: { type: 'integer' },
      next: { type: 'array', items: { type: 'string', format: 'date-time' } },
      timeZone: { type: 'string', description: 'The IANA zone cron expressions are read in' },
    },
    required: ['processId', 'version', 'elementId', 'timer', 'kind', 'fired', 'next', 'timeZone'],
  },
};

export const workflowTriggerPaths: Record<string, JsonSchema> = {
  '/api/modules/{module}/records/{id}/actions': {
    parameters: [pathParameter('module', 'The module name'), pathParameter('id', 'The record id')],
    get: {
      tags: ['workflows'],
      operationId: 'listRecordActions',
      summary: 'The manual workflow actions offered on a record you can read',
      description:
        'Only the actions whose condition (crm:trigger condition, FEEL over `record` and `actor`) holds for ' +
        'the record and you, and whose process is not already running for the record.',
      responses: { 200: ok('Actions', list('RecordAction')), ...guarded, 404: responseRef('NotFound') },
    },
  },
  '/api/modules/{module}/records/{id}/actions/{processId}': {
    parameters: [
      pathParameter('module', 'The module name'),
      pathParameter('id', 'The record id'),
      pathParameter('processId', 'The process of the action'),
    ],
    post: {
      tags: ['workflows'],
      operationId: 'startRecordAction',
      summary: 'Start a manual action for a record you can read; you are its submitter',
      description:
        'Refused with 409 when the action is not offered on the record now: `condition-not-met`, ' +
        '`condition-failed` or `already-running` (its process runs for the record), the reason in en and zh-CN.',
      requestBody: {
        required: false,
        content: json({ type: 'object', properties: { variables: { type: 'object' } } }),
      },
      responses: {
        201: ok('The instance', ref('WorkflowInstance')),
        400: responseRef('BadRequest'),
        422: responseRef('UnprocessableContent'),
        ...guarded,
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/workflows/schedules': {
    get: {
      tags: ['workflows'],
      operationId: 'listWorkflowSchedules',
      summary: 'Timer start events with their next occurrences in the workspace time zone (admins)',
      parameters: [
        { name: 'next', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 } },
      ],
      responses: {
        200: ok('Schedules', list('WorkflowSchedule')),
        400: responseRef('BadRequest'),
        ...guarded,
      },
    },
  },
};
