import type { JsonSchema } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// Workflows in the OpenAPI document: BPMN deploy and operations (admins), everyone's own tasks.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const list = (name: string) => ({ type: 'array', items: ref(name) });
const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const missing = { 404: responseRef('NotFound') };
const conflict = { 409: responseRef('Conflict') };
const bodyProblems = {
  400: responseRef('BadRequest'),
  413: responseRef('PayloadTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  422: responseRef('UnprocessableContent'),
};
const tags = ['workflows'];
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const variables = { type: 'object', additionalProperties: true, description: 'Process variables (JSON)' };
const idParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: uuid,
});
const query = (name: string, schema: JsonSchema) => ({ name, in: 'query', schema });

const labelProperties = {
  startedByName: { type: ['string', 'null'], description: 'The display name of who started it' },
  recordTitle: {
    type: ['string', 'null'],
    description: "The title of the instance's record (null: none, gone, or not readable by you)",
  },
};

export const workflowTag = {
  name: 'workflows',
  description:
    'BPMN 2.0 processes (zeebe: settings, FEEL): deploy versions, start and operate instances (admins); ' +
    'complete your own user tasks',
};

const instance: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    process_id: { type: 'string' },
    version: { type: 'integer', description: 'The definition version the instance is pinned to' },
    state: { enum: ['active', 'completed', 'terminated', 'cancelled'] },
    variables,
    business_key: { type: ['string', 'null'] },
    module: { type: ['string', 'null'], description: 'The module of the record the instance is about' },
    record_id: { ...nullableUuid, description: 'The record the instance is about (crm:record)' },
    parent_instance_id: nullableUuid,
    parent_token_id: nullableUuid,
    started_at: time,
    started_by: nullableUuid,
    ended_at: nullableTime,
  },
  required: ['id', 'process_id', 'version', 'state', 'variables', 'started_at'],
};

export const workflowSchemas: Record<string, JsonSchema> = {
  [crmSchema('WorkflowDeployment')]: {
    type: 'object',
    properties: {
      processId: { type: 'string' },
      version: { type: 'integer' },
      name: { type: ['string', 'null'] },
      duplicate: { type: 'boolean', description: 'The XML equals the latest version, which is returned' },
    },
    required: ['processId', 'version', 'name', 'duplicate'],
  },
  [crmSchema('WorkflowDefinition')]: {
    type: 'object',
    properties: {
      processId: { type: 'string' },
      name: { type: ['string', 'null'] },
      latestVersion: { type: 'integer' },
      deployedAt: time,
    },
    required: ['processId', 'name', 'latestVersion', 'deployedAt'],
  },
  [crmSchema('WorkflowVersion')]: {
    type: 'object',
    properties: {
      version: { type: 'integer' },
      name: { type: ['string', 'null'] },
      deployedAt: time,
      deployedBy: nullableUuid,
      xml: { type: 'string' },
    },
    required: ['version', 'name', 'deployedAt', 'deployedBy', 'xml'],
  },
  [crmSchema('WorkflowInstance')]: instance,
  [crmSchema('WorkflowInstanceView')]: {
    allOf: [
      instance,
      {
        type: 'object',
        properties: {
          currentElements: { type: 'array', items: { type: 'string' } },
          position: {
            type: 'array',
            description: "Where tokens wait, with the elements' names",
            items: {
              type: 'object',
              properties: { elementId: { type: 'string' }, name: { type: ['string', 'null'] } },
              required: ['elementId', 'name'],
            },
          },
          openIncidents: { type: 'integer' },
          processName: {
            type: ['string', 'null'],
            description: "The process's name in the instance's version",
          },
        },
        required: ['currentElements', 'position', 'openIncidents', 'processName'],
      },
    ],
  },
  [crmSchema('WorkflowMonitoredInstance')]: {
    allOf: [
      ref('WorkflowInstanceView'),
      {
        type: 'object',
        properties: labelProperties,
        required: ['startedByName', 'recordTitle'],
      },
    ],
  },
  [crmSchema('WorkflowElementActivity')]: {
    type: 'object',
    properties: {
      elementId: { type: 'string', description: 'A flow node or sequence flow of the diagram' },
      active: { type: 'integer', description: 'Tokens at the element now' },
      completed: { type: 'integer', description: 'Completions so far (a sequence flow: times taken)' },
      terminated: { type: 'integer', description: 'Times it was left unfinished (cancelled, interrupted)' },
      openIncidents: { type: 'integer' },
    },
    required: ['elementId', 'active', 'completed', 'terminated', 'openIncidents'],
  },
  [crmSchema('WorkflowInstanceDetail')]: {
    allOf: [
      ref('WorkflowInstanceView'),
      {
        type: 'object',
        properties: {
          tokens: { type: 'array', items: { type: 'object' } },
          tasks: list('WorkflowTask'),
          incidents: list('WorkflowIncident'),
        },
        required: ['tokens', 'tasks', 'incidents'],
      },
    ],
  },
  [crmSchema('WorkflowTask')]: {
    type: 'object',
    properties: {
      id: uuid,
      instance_id: uuid,
      token_id: uuid,
      process_id: { type: 'string' },
      version: { type: 'integer' },
      element_id: { type: 'string' },
      name: { type: ['string', 'null'] },
      assignee: { type: ['string', 'null'] },
      candidate_users: { type: 'array', items: { type: 'string' } },
      candidate_groups: { type: 'array', items: { type: 'string' } },
      state: { enum: ['open', 'completed', 'cancelled'] },
      variables: { type: ['object', 'null'] },
      result: { type: ['object', 'null'] },
      created_at: time,
      completed_at: nullableTime,
      completed_by: nullableUuid,
    },
    required: [
      'id',
      'instance_id',
      'element_id',
      'state',
      'candidate_users',
      'candidate_groups',
      'created_at',
    ],
  },
  [crmSchema('WorkflowIncident')]: {
    type: 'object',
    properties: {
      id: uuid,
      instance_id: uuid,
      token_id: nullableUuid,
      job_id: nullableUuid,
      element_id: { type: ['string', 'null'] },
      kind: { type: 'string', description: 'job-failed, expression, unhandled-error, trigger-condition' },
      message: { type: 'string' },
      created_at: time,
      resolved_at: nullableTime,
      resolved_by: nullableUuid,
      process_id: { type: 'string' },
      version: { type: 'integer' },
      attempts: {
        type: ['integer', 'null'],
        description: 'Attempts of the failed job (null: no job failed)',
      },
      retries: { type: ['integer', 'null'] },
      last_error: { type: ['string', 'null'] },
    },
    required: ['id', 'instance_id', 'kind', 'message', 'created_at'],
  },
  [crmSchema('WorkflowHistoryEvent')]: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      at: time,
      elementId: { type: ['string', 'null'] },
      event: { type: 'string' },
      actor: nullableUuid,
      actorName: { type: ['string', 'null'], description: "The actor's display name" },
      data: { type: ['object', 'null'] },
    },
    required: ['id', 'at', 'elementId', 'event', 'actor', 'actorName', 'data'],
  },
};

export const workflowPaths: Record<string, JsonSchema> = {
  '/api/workflows/definitions': {
    get: {
      tags,
      operationId: 'listWorkflowDefinitions',
      summary: 'Deployed processes with their latest version (admins)',
      responses: { 200: ok('Processes', list('WorkflowDefinition')), ...guarded },
    },
    post: {
      tags,
      operationId: 'deployWorkflow',
      summary: 'Deploy BPMN 2.0 XML: each executable process becomes a new version (admins)',
      description:
        'Anything outside the supported subset is refused (422) with an error per element (`/elements/<id>`).',
      requestBody: {
        required: true,
        content: { 'application/xml': { schema: { type: 'string' } } },
      },
      responses: {
        201: ok('The deployed versions', list('WorkflowDeployment')),
        ...bodyProblems,
        ...guarded,
      },
    },
  },
  '/api/workflows/definitions/{processId}/versions': {
    parameters: [{ name: 'processId', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      tags,
      operationId: 'listWorkflowVersions',
      summary: 'Every immutable version of a process, with its XML (admins)',
      responses: { 200: ok('Versions', list('WorkflowVersion')), ...guarded, ...missing },
    },
  },
  '/api/workflows/definitions/{processId}/versions/{version}': {
    parameters: [
      { name: 'processId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
    ],
    get: {
      tags,
      operationId: 'getWorkflowVersion',
      summary: "One version of a process with its XML (an instance's diagram) (admins)",
      responses: {
        200: ok('The version', ref('WorkflowVersion')),
        400: responseRef('BadRequest'),
        ...guarded,
        ...missing,
      },
    },
  },
  '/api/workflows/definitions/{processId}/instances': {
    parameters: [{ name: 'processId', in: 'path', required: true, schema: { type: 'string' } }],
    post: {
      tags,
      operationId: 'startWorkflow',
      summary: 'Start an instance of the latest (or a given) version (admins)',
      requestBody: {
        required: false,
        content: json({
          type: 'object',
          properties: {
            variables,
            businessKey: { type: ['string', 'null'] },
            version: { type: 'integer' },
            record: {
              type: 'object',
              description:
                "The record the instance is about (the process's crm:record module); you must be able to read it",
              properties: { module: { type: 'string' }, id: uuid },
              required: ['module', 'id'],
            },
          },
        }),
      },
      responses: {
        201: ok('The instance', ref('WorkflowInstance')),
        ...bodyProblems,
        ...guarded,
        ...missing,
      },
    },
  },
  '/api/workflows/instances': {
    get: {
      tags,
      operationId: 'listWorkflowInstances',
      summary:
        "Instances, newest first, with where they are, who started them and their records' titles (admins)",
      parameters: [
        query('processId', { type: 'string' }),
        query('state', { enum: ['active', 'completed', 'terminated', 'cancelled'] }),
        query('businessKey', { type: 'string' }),
        query('module', { type: 'string' }),
        query('recordId', uuid),
        query('startedFrom', { type: 'string', format: 'date-time' }),
        query('startedTo', { type: 'string', format: 'date-time' }),
        query('incidents', {
          type: 'boolean',
          description: 'Only instances with (true) or without open incidents',
        }),
        query('before', uuid),
        query('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }),
      ],
      responses: {
        200: ok('Instances', list('WorkflowMonitoredInstance')),
        400: responseRef('BadRequest'),
        ...guarded,
      },
    },
  },
  '/api/workflows/instances/{id}': {
    parameters: [idParameter('id', 'The instance')],
    get: {
      tags,
      operationId: 'getWorkflowInstance',
      summary: 'An instance: tokens, variables, tasks and incidents, its starter and record by name (admins)',
      responses: {
        200: ok('The instance', {
          allOf: [ref('WorkflowInstanceDetail'), { type: 'object', properties: labelProperties }],
        }),
        ...guarded,
        ...missing,
      },
    },
  },
  '/api/workflows/instances/{id}/history': {
    parameters: [idParameter('id', 'The instance')],
    get: {
      tags,
      operationId: 'getWorkflowHistory',
      summary: 'What happened in an instance, in order, with who did it (admins)',
      responses: { 200: ok('Events', list('WorkflowHistoryEvent')), ...guarded, ...missing },
    },
  },
  '/api/workflows/instances/{id}/activity': {
    parameters: [idParameter('id', 'The instance')],
    get: {
      tags,
      operationId: 'getWorkflowActivity',
      summary: 'Per element: tokens there now, completions, terminations and open incidents (admins)',
      description: "For marking the instance's diagram; elements never reached are left out.",
      responses: { 200: ok('Activity', list('WorkflowElementActivity')), ...guarded, ...missing },
    },
  },
  '/api/workflows/instances/{id}/cancel': {
    parameters: [idParameter('id', 'The instance')],
    post: {
      tags,
      operationId: 'cancelWorkflowInstance',
      summary: 'Cancel an active instance: its tasks are cancelled, timers and jobs dropped (admins)',
      requestBody: {
        required: false,
        content: json({
          type: 'object',
          properties: { reason: { type: ['string', 'null'], description: 'Kept in the history' } },
        }),
      },
      responses: {
        200: ok('The instance', ref('WorkflowInstance')),
        ...bodyProblems,
        ...guarded,
        ...missing,
        ...conflict,
      },
    },
  },
  '/api/workflows/incidents': {
    get: {
      tags,
      operationId: 'listWorkflowIncidents',
      summary: 'Open incidents with the error and attempts (`all=true`: resolved ones too) (admins)',
      parameters: [
        query('all', { enum: ['true', 'false'] }),
        query('processId', { type: 'string' }),
        query('instanceId', uuid),
      ],
      responses: { 200: ok('Incidents', list('WorkflowIncident')), ...guarded },
    },
  },
  '/api/workflows/incidents/{id}/retry': {
    parameters: [idParameter('id', 'The incident')],
    post: {
      tags,
      operationId: 'retryWorkflowIncident',
      summary: 'Retry the element an incident stopped at; a failed job gets its retries back (admins)',
      responses: { 204: { description: 'Retried' }, ...guarded, ...missing, ...conflict },
    },
  },
  '/api/workflows/messages': {
    post: {
      tags,
      operationId: 'correlateWorkflowMessage',
      summary:
        'Deliver a message to the instances waiting for it and start message-started processes (admins)',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          properties: {
            name: { type: 'string' },
            correlationKey: { type: ['string', 'number', 'null'] },
            variables,
          },
          required: ['name'],
        }),
      },
      responses: {
        200: ok('Where it went', {
          type: 'object',
          properties: { correlated: { type: 'array', items: uuid }, started: { type: 'array', items: uuid } },
          required: ['correlated', 'started'],
        }),
        ...bodyProblems,
        ...guarded,
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/workflows/stuck': {
    get: {
      tags,
      operationId: 'findStuckWorkflowWork',
      summary:
        'Stuck work: tokens waiting on nothing, expired job leases, overdue jobs, empty instances (admins)',
      responses: { 200: ok('The report', { type: 'object' }), ...guarded },
    },
  },
  '/api/workflows/tasks': {
    get: {
      tags,
      operationId: 'listMyWorkflowTasks',
      summary: 'My open user tasks: assigned to me, or unassigned with me or one of my roles as candidates',
      responses: { 200: ok('Tasks', list('WorkflowTask')), 401: responseRef('Unauthorized') },
    },
  },
  '/api/workflows/tasks/{id}/complete': {
    parameters: [idParameter('id', 'The task')],
    post: {
      tags,
      operationId: 'completeWorkflowTask',
      summary: 'Complete one of my open tasks with variables (admins: any task)',
      requestBody: { required: false, content: json({ type: 'object', properties: { variables } }) },
      responses: {
        200: ok('The task', ref('WorkflowTask')),
        ...bodyProblems,
        ...guarded,
        ...missing,
        ...conflict,
      },
    },
  },
};
