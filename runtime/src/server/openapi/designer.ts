import type { JsonSchema } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// The designer's tooling in the OpenAPI document: version diff and roll back, module archive, FEEL
// checks and trials, the workflow palette and lint. All for administrators.

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
const moduleParameter = {
  name: 'module',
  in: 'path',
  required: true,
  description: 'Module id or name',
  schema: { type: 'string' },
};
const versionOrDraft = { oneOf: [{ type: 'integer', minimum: 1 }, { const: 'draft' }] };
const feelType = {
  enum: ['string', 'number', 'boolean', 'date', 'date and time', 'list', 'context', 'any'],
};

const feelRequestProperties = {
  expression: { type: 'string', maxLength: 10000 },
  module: {
    type: 'string',
    description: "The module whose fields the expression reads (its draft, else what's published)",
  },
  definition: {
    type: 'object',
    description: "A module definition to check against instead (the designer's unsaved state)",
  },
  field: {
    type: 'string',
    description:
      'The formula field being written (it cannot read itself), or a rollup field whose filter is written (it reads one source row)',
  },
  subtable: {
    type: 'string',
    description:
      'A sub-table of the module: the expression reads one of its rows (a row rule or row formula)',
  },
  scope: {
    type: 'string',
    enum: ['record-event', 'record-action'],
    description:
      'Check only (instead of a module): `record-event` reads old, new and actor (webhook filters, record ' +
      "triggers), `record-action` reads record and actor (a manual action's condition)",
  },
};

export const designerSchemas: Record<string, JsonSchema> = {
  [crmSchema('PlanSentence')]: {
    type: 'object',
    description: 'One change of a publish in words, with the fields’ labels',
    properties: {
      module: { type: 'string' },
      kind: { type: 'string' },
      field: { type: 'string' },
      text: ref('LocaleText'),
      warning: { type: 'boolean', description: 'Values would be lost or lose precision' },
      rewritesTable: { type: 'boolean' },
    },
    required: ['module', 'kind', 'text'],
  },
  [crmSchema('DefinitionChange')]: {
    type: 'object',
    properties: {
      part: { type: 'string' },
      change: { enum: ['added', 'removed', 'changed', 'renamed', 'reordered'] },
      name: { type: 'string' },
      from: {},
      to: {},
      settings: { type: 'array', items: { type: 'string' } },
      description: ref('LocaleText'),
    },
    required: ['part', 'change', 'description'],
  },
  [crmSchema('DefinitionDiff')]: {
    type: 'object',
    properties: {
      from: versionOrDraft,
      to: versionOrDraft,
      before: ref('ModuleDefinition'),
      after: ref('ModuleDefinition'),
      changes: { type: 'array', items: ref('DefinitionChange') },
    },
    required: ['from', 'to', 'before', 'after', 'changes'],
  },
  [crmSchema('FeelProblem')]: {
    type: 'object',
    properties: {
      kind: { enum: ['syntax', 'unknown-variable', 'unknown-function'] },
      message: { type: 'string' },
      from: { type: 'integer', description: 'Offset in the expression where the problem starts' },
      to: { type: 'integer' },
    },
    required: ['kind', 'message', 'from', 'to'],
  },
  [crmSchema('FeelCheck')]: {
    type: 'object',
    properties: {
      valid: { type: 'boolean' },
      problems: { type: 'array', items: ref('FeelProblem') },
      resultType: {
        oneOf: [feelType, { type: 'null' }],
        description: 'When the expression makes it certain',
      },
    },
    required: ['valid', 'problems', 'resultType'],
  },
  [crmSchema('FeelTrial')]: {
    type: 'object',
    properties: {
      ok: { type: 'boolean' },
      value: { description: 'The result as JSON (dates and durations as ISO text)' },
      type: { type: 'string' },
      warnings: { type: 'array', items: { type: 'string' } },
      problems: { type: 'array', items: ref('FeelProblem') },
    },
    required: ['ok'],
  },
  [crmSchema('FeelCompletion')]: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      kind: { enum: ['field', 'system', 'function'] },
      feelType,
      fieldType: { type: 'string' },
      label: ref('LocaleText'),
    },
    required: ['name', 'kind'],
  },
  [crmSchema('ActionParameter')]: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      type: { type: 'string' },
      required: { type: 'boolean' },
      description: ref('LocaleText'),
    },
    required: ['name', 'type', 'description'],
  },
  [crmSchema('WorkflowAction')]: {
    type: 'object',
    properties: {
      type: { type: 'string', description: 'The `zeebe:taskDefinition type` of service tasks running it' },
      label: ref('LocaleText'),
      description: { oneOf: [ref('LocaleText'), { type: 'null' }] },
      mode: { enum: ['inline', 'job'] },
      inputs: { type: 'array', items: ref('ActionParameter') },
      headers: { type: 'array', items: ref('ActionParameter') },
      outputs: { type: 'array', items: ref('ActionParameter') },
    },
    required: ['type', 'label', 'description', 'mode', 'inputs', 'headers', 'outputs'],
  },
  [crmSchema('DiagramLint')]: {
    type: 'object',
    properties: {
      processes: {
        type: 'array',
        items: {
          type: 'object',
          properties: { processId: { type: 'string' }, name: { type: ['string', 'null'] } },
          required: ['processId', 'name'],
        },
      },
      problems: {
        type: 'array',
        items: {
          allOf: [ref('ApiError')],
          description: 'A problem, with `elementId` naming the diagram element',
        },
      },
    },
    required: ['processes', 'problems'],
  },
};

export const designerPaths: Record<string, JsonSchema> = {
  '/api/meta/modules/{module}/diff': {
    parameters: [moduleParameter],
    get: {
      tags: ['definitions'],
      operationId: 'meta.diffVersions',
      summary: 'The differences between two versions (or a version and the draft): fields, rules, layout',
      parameters: [
        { name: 'from', in: 'query', required: true, schema: versionOrDraft },
        { name: 'to', in: 'query', required: true, schema: versionOrDraft },
      ],
      responses: {
        200: ok('The two definitions and their differences', ref('DefinitionDiff')),
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/modules/{module}/versions/{version}/restore': {
    parameters: [
      moduleParameter,
      { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
    ],
    post: {
      tags: ['definitions'],
      operationId: 'meta.restoreVersion',
      summary:
        'Roll back: the version becomes the draft, to publish through the normal preview (a new version)',
      responses: {
        200: ok('The module with the old definition as its draft', ref('ModuleState')),
        ...guarded,
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/modules/{module}/archived': {
    parameters: [moduleParameter],
    put: {
      tags: ['definitions'],
      operationId: 'meta.archiveModule',
      summary: 'Archive a module (its records leave the API; the table stays) or bring it back',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          properties: { archived: { type: 'boolean' } },
          required: ['archived'],
          additionalProperties: false,
        }),
      },
      responses: {
        200: ok('The module', ref('ModuleSummary')),
        ...guarded,
        ...bodyProblems,
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/meta/feel/completions': {
    get: {
      tags: ['definitions'],
      operationId: 'meta.feelCompletions',
      summary:
        'Names a FEEL expression of the module may use: fields (types, labels), system fields, functions',
      parameters: [
        { name: 'module', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'field', in: 'query', description: 'The formula being written', schema: { type: 'string' } },
        {
          name: 'subtable',
          in: 'query',
          description: 'A sub-table: the names one of its rows offers',
          schema: { type: 'string' },
        },
      ],
      responses: {
        200: ok('The names', { type: 'array', items: ref('FeelCompletion') }),
        ...guarded,
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/feel/check': {
    post: {
      tags: ['definitions'],
      operationId: 'meta.feelCheck',
      summary: 'Check a FEEL expression: syntax errors and unknown names by position, the result type',
      requestBody: {
        required: true,
        content: json({ type: 'object', properties: feelRequestProperties, required: ['expression'] }),
      },
      responses: {
        200: ok('The check', ref('FeelCheck')),
        ...guarded,
        ...bodyProblems,
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/feel/evaluate': {
    post: {
      tags: ['definitions'],
      operationId: 'meta.feelEvaluate',
      summary: 'Try a FEEL expression on sample values or on a record (read with your access)',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          properties: {
            ...feelRequestProperties,
            record: { type: 'object', description: 'Sample field values by name' },
            recordId: { type: 'string', description: 'Or an existing record of the module' },
          },
          required: ['expression'],
        }),
      },
      responses: {
        200: ok('The result or the problems', ref('FeelTrial')),
        ...guarded,
        ...bodyProblems,
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/workflows/actions': {
    get: {
      tags: ['workflows'],
      operationId: 'listWorkflowActions',
      summary: 'The registered service-task actions with their inputs, headers and outputs (the palette)',
      responses: { 200: ok('The actions', { type: 'array', items: ref('WorkflowAction') }), ...guarded },
    },
  },
  '/api/workflows/lint': {
    post: {
      tags: ['workflows'],
      operationId: 'lintWorkflow',
      summary: 'The checks of a deploy, without deploying: problems by element id',
      requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } } } },
      responses: {
        200: ok('The problems (none: it would deploy)', ref('DiagramLint')),
        ...guarded,
        ...bodyProblems,
      },
    },
  },
};
