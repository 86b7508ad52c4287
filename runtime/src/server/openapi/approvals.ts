import type { JsonSchema } from '@crm/engine';
import { crmSchema, parameterRef, responseRef, schemaRef } from './names.ts';

// Approvals in the OpenAPI document: each user's inbox, the actions on approval tasks, the submitter's
// recall and remind, and the approval timeline of a record.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const guarded = { 401: responseRef('Unauthorized') };
const tags = ['approvals'];
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const userRef = schemaRef(crmSchema('UserRef'));
const ACTIONS = ['approve', 'reject', 'return', 'transfer', 'add-signer', 'cc', 'resubmit'];
const ACTION_KINDS = [...ACTIONS, 'recall', 'remind', 'escalate'];

export const approvalTag = {
  name: 'approvals',
  description:
    'Your approvals inbox (pending, done, CC’d, submitted) and the actions on approval tasks: approve, reject, ' +
    'return, transfer, add a signer, CC, resubmit; the submitter’s recall and remind',
};

const summaryProperties = {
  instanceId: uuid,
  processId: { type: 'string' },
  processName: { type: ['string', 'null'] },
  module: { type: ['string', 'null'], description: 'The module of the record the approval is about' },
  recordId: nullableUuid,
  submitter: { oneOf: [userRef, { type: 'null' }] },
  status: { type: 'string', enum: ['pending', 'approved', 'rejected', 'recalled', 'cancelled'] },
  startedAt: time,
  endedAt: nullableTime,
};
const summaryRequired = Object.keys(summaryProperties);
/** An inbox entry: the summary and the record's title. */
const entryProperties = {
  ...summaryProperties,
  recordTitle: {
    type: ['string', 'null'],
    description: 'The title of the record, null when you may not read it (or there is none)',
  },
};
const entryRequired = [...summaryRequired, 'recordTitle'];

const member = {
  type: 'object',
  properties: {
    userId: uuid,
    name: { type: 'string' },
    state: {
      type: 'string',
      enum: ['waiting', 'active', 'approved', 'rejected', 'transferred', 'cancelled'],
    },
    taskId: nullableUuid,
    via: {
      type: 'string',
      enum: ['rule', 'before', 'after', 'transfer', 'escalate', 'submitter'],
      description: 'How the approver came to the step: its rules, a signer added before/after, a transfer …',
    },
    automatic: { type: 'boolean', description: 'Approved by the engine (auto-approve, timeout)' },
  },
  required: ['userId', 'name', 'state', 'taskId', 'via'],
};

const action = {
  type: 'object',
  properties: {
    id: uuid,
    action: { type: 'string', enum: ACTION_KINDS },
    actor: { oneOf: [userRef, { type: 'null' }], description: 'Null for the engine (a timeout)' },
    automatic: { type: 'boolean' },
    comment: { type: ['string', 'null'] },
    attachments: { type: 'array', items: schemaRef(crmSchema('ApprovalAttachment')) },
    data: {
      type: ['object', 'null'],
      description:
        'to (transfer), users and position (add-signer, cc, remind), target (return), reason (automatic)',
    },
    at: time,
  },
  required: ['id', 'action', 'actor', 'automatic', 'comment', 'attachments', 'data', 'at'],
};

const page = (item: string) => ({
  type: 'object',
  properties: {
    data: { type: 'array', items: schemaRef(crmSchema(item)) },
    nextCursor: { type: ['string', 'null'] },
  },
  required: ['data', 'nextCursor'],
});

export const approvalSchemas: Record<string, JsonSchema> = {
  [crmSchema('UserRef')]: {
    type: 'object',
    properties: { id: uuid, name: { type: 'string' } },
    required: ['id', 'name'],
  },
  [crmSchema('ApprovalAttachment')]: {
    type: 'object',
    properties: { id: uuid, name: { type: 'string' }, size: { type: 'integer' }, type: { type: 'string' } },
    required: ['id', 'name', 'size', 'type'],
  },
  [crmSchema('ApprovalMember')]: member,
  [crmSchema('ApprovalAction')]: action,
  [crmSchema('ApprovalPending')]: {
    type: 'object',
    properties: {
      ...entryProperties,
      taskId: uuid,
      elementId: { type: 'string' },
      stepName: { type: ['string', 'null'] },
      kind: {
        type: 'string',
        enum: ['approval', 'resubmit', 'task'],
        description:
          'resubmit: returned to you; task: a plain user task (complete it at /api/workflows/tasks)',
      },
      createdAt: time,
    },
    required: [...entryRequired, 'taskId', 'elementId', 'stepName', 'kind', 'createdAt'],
  },
  [crmSchema('ApprovalDone')]: {
    type: 'object',
    properties: {
      ...entryProperties,
      actionId: uuid,
      action: { type: 'string', enum: ACTION_KINDS },
      comment: { type: ['string', 'null'] },
      at: time,
      taskId: nullableUuid,
      stepName: { type: ['string', 'null'] },
    },
    required: [...entryRequired, 'actionId', 'action', 'comment', 'at', 'taskId', 'stepName'],
  },
  [crmSchema('ApprovalCc')]: {
    type: 'object',
    properties: { ...entryProperties, ccId: uuid, by: { oneOf: [userRef, { type: 'null' }] }, at: time },
    required: [...entryRequired, 'ccId', 'by', 'at'],
  },
  [crmSchema('ApprovalSubmitted')]: {
    type: 'object',
    properties: { ...entryProperties, currentSteps: { type: 'array', items: { type: 'string' } } },
    required: [...entryRequired, 'currentSteps'],
  },
  [crmSchema('ApprovalTimelineEntry')]: {
    type: 'object',
    properties: {
      ...summaryProperties,
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: uuid,
            elementId: { type: 'string' },
            name: { type: ['string', 'null'] },
            mode: { type: 'string', enum: ['single', 'any', 'all', 'sequence', 'ratio', 'resubmit'] },
            state: {
              type: 'string',
              enum: ['open', 'approved', 'rejected', 'returned', 'recalled', 'cancelled'],
            },
            createdAt: time,
            endedAt: nullableTime,
            approvers: { type: 'array', items: schemaRef(crmSchema('ApprovalMember')) },
            actions: { type: 'array', items: schemaRef(crmSchema('ApprovalAction')) },
          },
          required: [
            'id',
            'elementId',
            'name',
            'mode',
            'state',
            'createdAt',
            'endedAt',
            'approvers',
            'actions',
          ],
        },
      },
      actions: {
        type: 'array',
        items: schemaRef(crmSchema('ApprovalAction')),
        description: 'Actions on the whole approval (recall)',
      },
    },
    required: [...summaryRequired, 'steps', 'actions'],
  },
  [crmSchema('ApprovalActionResult')]: {
    type: 'object',
    properties: {
      action: schemaRef(crmSchema('ApprovalAction')),
      instanceId: uuid,
      instanceState: { type: 'string', enum: ['active', 'completed', 'terminated', 'cancelled'] },
    },
    required: ['action', 'instanceId', 'instanceState'],
  },
};

const pageParameters = [
  {
    name: 'cursor',
    in: 'query',
    schema: { type: 'string' },
    description: 'The `nextCursor` of the previous page',
  },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
];

const inboxList = (list: string, item: string, summary: string) => ({
  get: {
    tags,
    operationId: `approvalInbox${list}`,
    summary,
    parameters: pageParameters,
    responses: { 200: ok('A page, newest first', page(item)), 400: responseRef('BadRequest'), ...guarded },
  },
});

const actionBody = {
  type: 'object',
  properties: {
    comment: { type: ['string', 'null'], maxLength: 4000 },
    attachments: {
      type: 'array',
      maxItems: 20,
      items: uuid,
      description: 'Ids of files you uploaded',
    },
    to: { type: 'string', description: 'transfer: the user (id or username) who takes the task over' },
    users: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'string' },
      description: 'add-signer, cc: users (ids or usernames)',
    },
    position: { type: 'string', enum: ['before', 'after'], description: 'add-signer: before or after you' },
    target: {
      type: 'string',
      description: 'return: `previous` (default), `submitter`, or the element id of an earlier approval step',
    },
  },
};

const actionResponses = {
  200: ok('The action, and the approval’s state after it', schemaRef(crmSchema('ApprovalActionResult'))),
  400: responseRef('BadRequest'),
  403: responseRef('Forbidden'),
  404: responseRef('NotFound'),
  409: responseRef('Conflict'),
  422: responseRef('UnprocessableContent'),
  ...guarded,
};

export const approvalPaths: Record<string, JsonSchema> = {
  '/api/approvals/inbox/counts': {
    get: {
      tags,
      operationId: 'approvalInboxCounts',
      summary: 'How many approvals are in each of your lists',
      responses: {
        200: ok('The counts', {
          type: 'object',
          properties: {
            pending: { type: 'integer' },
            done: { type: 'integer' },
            cc: { type: 'integer' },
            submitted: { type: 'integer' },
            submittedPending: { type: 'integer', description: 'Submitted ones still running' },
          },
          required: ['pending', 'done', 'cc', 'submitted', 'submittedPending'],
        }),
        ...guarded,
      },
    },
  },
  '/api/approvals/inbox/pending': inboxList(
    'Pending',
    'ApprovalPending',
    'Tasks waiting for you: approvals, ones returned to you, user tasks offered to you or your roles',
  ),
  '/api/approvals/inbox/done': inboxList(
    'Done',
    'ApprovalDone',
    'What you approved, rejected, returned, transferred',
  ),
  '/api/approvals/inbox/cc': inboxList('Cc', 'ApprovalCc', 'Approvals CC’d to you'),
  '/api/approvals/inbox/submitted': inboxList('Submitted', 'ApprovalSubmitted', 'Approvals you submitted'),
  '/api/approvals/tasks/{taskId}': {
    parameters: [{ name: 'taskId', in: 'path', required: true, schema: uuid }],
    get: {
      tags,
      operationId: 'getApprovalTask',
      summary:
        'An approval task with its step, its approval, what you may do and where it may be returned to',
      responses: {
        200: ok('The task', {
          type: 'object',
          properties: {
            task: { type: 'object' },
            approval: { type: 'object', properties: summaryProperties, required: summaryRequired },
            step: {
              type: ['object', 'null'],
              properties: {
                id: uuid,
                elementId: { type: 'string' },
                name: { type: ['string', 'null'] },
                mode: { type: 'string' },
                state: { type: 'string' },
                approvers: { type: 'array', items: schemaRef(crmSchema('ApprovalMember')) },
              },
            },
            actions: { type: 'array', items: { type: 'string', enum: ACTIONS } },
            returnTargets: {
              type: 'array',
              items: {
                type: 'object',
                properties: { elementId: { type: 'string' }, name: { type: ['string', 'null'] } },
                required: ['elementId', 'name'],
              },
            },
          },
          required: ['task', 'approval', 'step', 'actions', 'returnTargets'],
        }),
        404: responseRef('NotFound'),
        ...guarded,
      },
    },
  },
  '/api/approvals/tasks/{taskId}/{action}': {
    parameters: [
      { name: 'taskId', in: 'path', required: true, schema: uuid },
      { name: 'action', in: 'path', required: true, schema: { type: 'string', enum: ACTIONS } },
    ],
    post: {
      tags,
      operationId: 'actOnApprovalTask',
      summary:
        'Act on your approval task (administrators: on any): approve, reject, return, transfer, add-signer, cc, ' +
        'or resubmit a task returned to you; each in one transaction',
      requestBody: { required: false, content: json(actionBody) },
      responses: actionResponses,
    },
  },
  '/api/approvals/instances/{instanceId}/recall': {
    parameters: [{ name: 'instanceId', in: 'path', required: true, schema: uuid }],
    post: {
      tags,
      operationId: 'recallApproval',
      summary: 'Recall your approval before any approver acted (or while it is returned to you); it ends',
      requestBody: {
        required: false,
        content: json({
          type: 'object',
          properties: {
            comment: actionBody.properties.comment,
            attachments: actionBody.properties.attachments,
          },
        }),
      },
      responses: actionResponses,
    },
  },
  '/api/approvals/instances/{instanceId}/remind': {
    parameters: [{ name: 'instanceId', in: 'path', required: true, schema: uuid }],
    post: {
      tags,
      operationId: 'remindApprovers',
      summary: 'Remind the approvers whose turn it is (the submitter, administrators)',
      requestBody: {
        required: false,
        content: json({ type: 'object', properties: { comment: actionBody.properties.comment } }),
      },
      responses: actionResponses,
    },
  },
};

/** `GET …/records/{id}/approvals` of one module. */
export function recordApprovalsPath(moduleTags: string[], operationId: string, module: string): JsonSchema {
  return {
    parameters: [parameterRef('RecordId')],
    get: {
      tags: moduleTags,
      operationId,
      summary: `The approval timeline of a ${module} record: every approval, each step, approver and action`,
      responses: {
        200: ok('Oldest approval first', {
          type: 'array',
          items: schemaRef(crmSchema('ApprovalTimelineEntry')),
        }),
        404: responseRef('NotFound'),
      },
    },
  };
}
