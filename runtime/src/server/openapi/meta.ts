import { type JsonSchema, moduleMetaSchema } from '@crm/engine';
import { SUPPORTED_LOCALES } from '../locale.ts';
import { toOpenApiSchema } from './json-schema.ts';
import { crmSchema, responseRef, schemaRef } from './names.ts';

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const nullableRef = (name: string) => ({ oneOf: [ref(name), { type: 'null' }] });
const tags = ['definitions'];

const moduleParameter = {
  name: 'module',
  in: 'path',
  required: true,
  description: 'Module id or name',
  schema: { type: 'string' },
};

/** Schemas of the definition endpoints; the module definition's is the engine's own meta-schema. */
export function metaSchemas(fieldTypes: string[]): Record<string, JsonSchema> {
  const problems = { type: 'array', items: ref('ApiError') };
  const preview = {
    type: 'object',
    properties: {
      modules: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            fromVersion: { type: ['integer', 'null'] },
            toVersion: { type: 'integer' },
          },
          required: ['id', 'name', 'fromVersion', 'toVersion'],
        },
      },
      steps: { type: 'array', items: ref('MigrationStep') },
      problems: { ...problems, description: 'Why the publish cannot go ahead; empty when it can' },
      summary: {
        type: 'array',
        items: ref('PlanSentence'),
        description: 'The plan step by step in words, with the values type changes would lose',
      },
    },
    required: ['modules', 'steps', 'problems', 'summary'],
  };
  return {
    [crmSchema('ModuleDefinition')]: toOpenApiSchema(
      moduleMetaSchema(fieldTypes),
      crmSchema('ModuleDefinition'),
    ),
    [crmSchema('ModuleSummary')]: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        label: ref('LocaleText'),
        publishedVersion: { type: ['integer', 'null'] },
        hasDraft: { type: 'boolean' },
        archived: { type: 'boolean' },
      },
      required: ['id', 'name', 'label', 'publishedVersion', 'hasDraft', 'archived'],
    },
    [crmSchema('ModuleState')]: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        draft: nullableRef('ModuleDefinition'),
        published: nullableRef('ModuleDefinition'),
        publishedVersion: { type: ['integer', 'null'] },
        draftProblems: { ...problems, description: 'What would stop the draft from being published' },
      },
      required: ['id', 'name', 'draft', 'published', 'publishedVersion', 'draftProblems'],
    },
    [crmSchema('ModuleVersion')]: {
      type: 'object',
      properties: {
        version: { type: 'integer' },
        publishedAt: { type: 'string', format: 'date-time' },
        publishedBy: { type: ['string', 'null'] },
      },
      required: ['version', 'publishedAt', 'publishedBy'],
    },
    [crmSchema('ModuleVersionDetail')]: {
      type: 'object',
      properties: {
        version: { type: 'integer' },
        definition: ref('ModuleDefinition'),
        plan: {
          type: 'array',
          items: ref('MigrationStep'),
          description: 'The steps this version was published with',
        },
      },
      required: ['version', 'definition', 'plan'],
    },
    [crmSchema('MigrationStep')]: {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        module: { type: 'string' },
        field: { type: 'string' },
        description: ref('LocaleText'),
        sql: { type: 'array', items: { type: 'string' } },
        rewritesTable: { type: 'boolean' },
        conversion: ref('ConversionReport'),
      },
      required: ['kind', 'module', 'description', 'sql'],
    },
    [crmSchema('ConversionReport')]: {
      type: 'object',
      description:
        'What a type change converted into a new column does to the field: counted over every record',
      properties: {
        field: { type: 'string' },
        from: {
          type: 'string',
          description: 'The old field type (or column type when only settings change)',
        },
        to: { type: 'string' },
        values: { type: 'integer', description: 'Records whose old value is not empty' },
        unconvertible: {
          type: 'integer',
          description: 'Values that cannot be converted: they become empty (null)',
        },
        lossy: { type: 'integer', description: 'Values that convert but lose precision' },
        inRecycleBin: {
          type: 'integer',
          description:
            'Unconvertible or lossy values of records in the recycle bin (not in the counts above)',
        },
        required: { type: 'boolean', description: 'Each unconvertible value leaves a required field empty' },
        archivedColumn: { type: 'string', description: 'Where the old values stay until purged' },
        samples: {
          type: 'array',
          maxItems: 5,
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid', description: 'The record' },
              value: { description: 'The old value' },
              converted: { description: 'What it becomes: null when it cannot be converted' },
              problem: { enum: ['unconvertible', 'lossy'] },
            },
            required: ['id', 'value', 'converted', 'problem'],
          },
        },
        summary: ref('LocaleText'),
      },
      required: [
        'field',
        'from',
        'to',
        'values',
        'unconvertible',
        'lossy',
        'inRecycleBin',
        'required',
        'archivedColumn',
        'samples',
        'summary',
      ],
    },
    [crmSchema('ArchivedData')]: {
      type: 'object',
      description: 'Data a publish kept when a field was removed or changed type, until purged',
      properties: {
        columns: {
          type: 'array',
          items: { type: 'string' },
          description: 'Archived columns of the module table; the first one names the entry',
        },
        field: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            type: { type: 'string' },
            label: ref('LocaleText'),
          },
          required: ['id', 'name', 'type', 'label'],
        },
        version: { type: 'integer', description: 'The version whose publish archived the data' },
        archivedAt: { type: 'string', format: 'date-time' },
        reason: { enum: ['removed', 'typeChange'] },
        values: { type: 'integer', description: 'Records holding an archived value' },
        bytes: { type: 'integer', description: 'Bytes the archived values take' },
      },
      required: ['columns', 'field', 'version', 'archivedAt', 'reason', 'values', 'bytes'],
    },
    [crmSchema('PurgeResult')]: {
      type: 'object',
      properties: { purged: { type: 'array', items: ref('ArchivedData') } },
      required: ['purged'],
    },
    [crmSchema('PublishRequest')]: {
      type: 'object',
      properties: {
        modules: {
          type: 'array',
          minItems: 1,
          items: { type: 'string' },
          description: 'Module ids or names whose drafts to publish; all drafts when left out',
        },
        confirmDataLoss: {
          type: 'boolean',
          default: false,
          description:
            'Go ahead with type changes that lose values (they become empty; the old values stay in an archived column until purged). Without it such a publish is refused with `data-loss` problems.',
        },
      },
      additionalProperties: false,
    },
    [crmSchema('PublishPreview')]: preview,
    [crmSchema('PublishResult')]: {
      ...preview,
      properties: { ...preview.properties, published: { const: true } },
      required: [...preview.required, 'published'],
    },
    [crmSchema('FormSchema')]: {
      type: 'object',
      description: 'What react-jsonschema-form renders a record form from',
      properties: {
        jsonSchema: { type: 'object' },
        uiSchema: {
          type: 'object',
          description:
            "Per field: ui:widget, ui:placeholder, ui:help, ui:readonly, ui:options (a relation's target, targetModule and titleField); at the root: ui:order, ui:layout (sections in columns) and ui:conditions (the fields' visibleWhen, requiredWhen and readOnlyWhen in FEEL with the scope to compile them)",
        },
        related: {
          type: 'array',
          description: "The lists of records pointing at this module's records that the caller may read",
          items: {
            type: 'object',
            properties: {
              name: { type: 'string', description: 'for GET …/records/{id}/related/{name}' },
              label: { type: 'object', additionalProperties: { type: 'string' } },
              module: { type: 'string' },
              titleField: { type: 'string' },
              field: { type: 'string' },
            },
            required: ['name', 'label', 'module', 'titleField', 'field'],
          },
        },
        titleField: { type: 'string', description: "The field that titles the module's records" },
        version: { type: 'integer' },
      },
      required: ['jsonSchema', 'uiSchema', 'related', 'titleField', 'version'],
    },
    [crmSchema('FieldType')]: {
      type: 'object',
      properties: {
        type: { type: 'string' },
        label: ref('LocaleText'),
        widget: { type: 'string' },
        cell: {
          type: ['string', 'null'],
          description:
            'The list cell renderer a plugin registers in the browser (null: the built-in display)',
        },
        settings: { type: 'object', description: 'JSON Schema of the settings this type adds to a field' },
        computed: { type: 'boolean' },
        sortable: { type: 'boolean' },
        search: {
          enum: ['default', 'optIn', null],
          description:
            'Keyword search: `default` searched unless a field sets `searchable: false`, `optIn` only with `searchable: true`, null never',
        },
        filter: {
          type: ['string', 'null'],
          description: 'Operator family; formulas follow their result type',
        },
        operators: { type: 'array', items: { type: 'string' } },
      },
      required: [
        'type',
        'label',
        'widget',
        'settings',
        'computed',
        'sortable',
        'search',
        'filter',
        'operators',
      ],
    },
    [crmSchema('Health')]: {
      type: 'object',
      properties: { status: { const: 'ok' }, database: { enum: ['pglite', 'postgres'] } },
      required: ['status', 'database'],
    },
  };
}

const definitionBody = { required: true, content: json(ref('ModuleDefinition')) };
const bodyProblems = {
  400: responseRef('BadRequest'),
  413: responseRef('PayloadTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  422: responseRef('UnprocessableContent'),
};

/** The definition and system endpoints. Operation ids carry `meta.`, which no module's ids can. */
export const metaPaths: Record<string, JsonSchema> = {
  '/api/health': {
    get: {
      tags: ['system'],
      operationId: 'meta.health',
      responses: { 200: ok('The server is up', ref('Health')) },
    },
  },
  '/api/meta/modules': {
    get: {
      tags,
      operationId: 'meta.listModules',
      responses: { 200: ok('Every module', { type: 'array', items: ref('ModuleSummary') }) },
    },
    post: {
      tags,
      operationId: 'meta.createModule',
      summary: 'Create a module as a draft',
      requestBody: definitionBody,
      responses: {
        201: ok('The new module', ref('ModuleState')),
        ...bodyProblems,
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/meta/modules/{module}': {
    parameters: [moduleParameter],
    get: {
      tags,
      operationId: 'meta.getModule',
      responses: {
        200: ok('Draft and published definition', ref('ModuleState')),
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/modules/{module}/draft': {
    parameters: [moduleParameter],
    put: {
      tags,
      operationId: 'meta.saveDraft',
      requestBody: definitionBody,
      responses: {
        200: ok('The module with its new draft', ref('ModuleState')),
        ...bodyProblems,
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
    delete: {
      tags,
      operationId: 'meta.discardDraft',
      responses: { 204: { description: 'Discarded' }, 404: responseRef('NotFound') },
    },
  },
  '/api/meta/modules/{module}/versions': {
    parameters: [moduleParameter],
    get: {
      tags,
      operationId: 'meta.listVersions',
      responses: {
        200: ok('Published versions, newest first', { type: 'array', items: ref('ModuleVersion') }),
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/modules/{module}/versions/{version}': {
    parameters: [
      moduleParameter,
      { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
    ],
    get: {
      tags,
      operationId: 'meta.getVersion',
      responses: {
        200: ok('One published version', ref('ModuleVersionDetail')),
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/modules/{module}/schema': {
    parameters: [moduleParameter],
    get: {
      tags,
      operationId: 'meta.getFormSchema',
      summary: "The published module's form schemas",
      parameters: [
        {
          name: 'locale',
          in: 'query',
          description: 'Defaults from Accept-Language, then en',
          schema: { enum: [...SUPPORTED_LOCALES] },
        },
      ],
      responses: {
        200: ok('JSON Schema and uiSchema', ref('FormSchema')),
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/publish/preview': {
    post: {
      tags,
      operationId: 'meta.previewPublish',
      summary: 'What a publish would do: the migration plan and any problems (nothing is changed)',
      requestBody: { content: json(ref('PublishRequest')) },
      responses: {
        200: ok('The plan', ref('PublishPreview')),
        ...bodyProblems,
        404: responseRef('NotFound'),
      },
    },
  },
  '/api/meta/publish': {
    post: {
      tags,
      operationId: 'meta.publish',
      summary: 'Publish drafts: tables change and new versions are written in one transaction',
      requestBody: { content: json(ref('PublishRequest')) },
      responses: {
        200: ok('Published', ref('PublishResult')),
        ...bodyProblems,
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/meta/modules/{module}/archived-columns': {
    parameters: [moduleParameter],
    get: {
      tags,
      operationId: 'meta.listArchivedColumns',
      summary: 'Data kept from removed fields and type changes, until purged (administrators)',
      responses: {
        200: ok('Archived data, newest first', { type: 'array', items: ref('ArchivedData') }),
        403: responseRef('Forbidden'),
        404: responseRef('NotFound'),
      },
    },
    delete: {
      tags,
      operationId: 'meta.purgeArchivedColumns',
      summary: 'Drop every archived column of the module, for good (administrators; in the operation log)',
      responses: {
        200: ok('What was purged', ref('PurgeResult')),
        403: responseRef('Forbidden'),
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/meta/modules/{module}/archived-columns/{column}': {
    parameters: [
      moduleParameter,
      {
        name: 'column',
        in: 'path',
        required: true,
        description: 'An archived column; the columns archived with it (a money field has two) go too',
        schema: { type: 'string' },
      },
    ],
    delete: {
      tags,
      operationId: 'meta.purgeArchivedColumn',
      summary: 'Drop one archived entry for good (administrators; in the operation log)',
      responses: {
        200: ok('What was purged', ref('PurgeResult')),
        403: responseRef('Forbidden'),
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    },
  },
  '/api/meta/field-types': {
    get: {
      tags,
      operationId: 'meta.listFieldTypes',
      responses: { 200: ok('The field types', { type: 'array', items: ref('FieldType') }) },
    },
  },
};
