import { type CompiledModule, type JsonSchema, localize } from '@crm/engine';
import { PROBLEM_CONTENT_TYPE } from '../problem.ts';
import { recordApprovalsPath } from './approvals.ts';
import { nullable, toOpenApiSchema } from './json-schema.ts';
import { crmSchema, moduleSchemaName, parameterRef, responseRef, schemaRef } from './names.ts';

const uuid = { type: 'string', format: 'uuid' };

/** The system fields every record has, ahead of the module's own fields. */
const SYSTEM_PROPERTIES: Record<string, JsonSchema> = {
  id: { ...uuid, readOnly: true },
  version: { type: 'integer', minimum: 1, readOnly: true, description: 'Raised by every change; the ETag' },
  owner: { type: ['string', 'null'], format: 'uuid' },
  created_at: { type: 'string', format: 'date-time', readOnly: true },
  created_by: { type: ['string', 'null'], format: 'uuid', readOnly: true },
  updated_at: { type: 'string', format: 'date-time', readOnly: true },
  updated_by: { type: ['string', 'null'], format: 'uuid', readOnly: true },
};

/** Only records listed from the recycle bin have these. */
const BIN_PROPERTIES: Record<string, JsonSchema> = {
  deleted_at: {
    type: 'string',
    format: 'date-time',
    readOnly: true,
    description: 'In the recycle bin since',
  },
  deleted_by: { type: ['string', 'null'], format: 'uuid', readOnly: true },
};

export interface ModuleNames {
  record: string;
  input: string;
  patch: string;
  page: string;
}

/**
 * Component names of a module's schemas; `taken` holds every module's record name, so that
 * `customer`'s input schema does not take the name of a module called `customer_input`.
 */
export function moduleNames(module: CompiledModule, taken: ReadonlySet<string>): ModuleNames {
  const record = moduleSchemaName(module.name);
  const derived = (suffix: string) => (taken.has(record + suffix) ? `${record}.${suffix}` : record + suffix);
  return { record, input: derived('Input'), patch: derived('Patch'), page: derived('Page') };
}

/** The module's field schemas, converted for the document, by field name (stored fields only). */
function fieldSchemas(module: CompiledModule, componentName: string): Map<string, JsonSchema> {
  const record = toOpenApiSchema(module.jsonSchema('en'), componentName);
  const properties = record.properties as Record<string, JsonSchema>;
  return new Map(
    module.fields
      .filter((f) => f.columns.length > 0 || f.linkTable || f.definition.type === 'subtable')
      .map((f) => [f.name, properties[f.name]] as const),
  );
}

export function moduleSchemas(module: CompiledModule, names: ModuleNames): Record<string, JsonSchema> {
  const fields = fieldSchemas(module, names.record);
  const required = new Set(module.jsonSchema('en').required as string[]);
  const writable = module.fields.filter((f) => !f.computed && fields.has(f.name));
  const title = localize(module.definition.label, 'en');
  const writableProperties = (requiredStays: boolean) =>
    Object.fromEntries(
      writable.map((f) => {
        const schema = fields.get(f.name) as JsonSchema;
        return [f.name, requiredStays && required.has(f.name) ? schema : nullable(schema)];
      }),
    );
  return {
    [names.record]: {
      type: 'object',
      title,
      description:
        'A record as the API returns it; with `fields=` only the listed fields come (system fields always)',
      properties: {
        ...SYSTEM_PROPERTIES,
        ...BIN_PROPERTIES,
        ...Object.fromEntries([...fields].map(([name, schema]) => [name, nullable(schema)])),
      },
      required: Object.keys(SYSTEM_PROPERTIES),
      additionalProperties: false,
    },
    [names.input]: {
      type: 'object',
      title: `New ${title}`,
      description: 'A new record; an empty field may be left out or sent as null',
      properties: { owner: SYSTEM_PROPERTIES.owner, ...writableProperties(true) },
      required: writable.filter((f) => required.has(f.name)).map((f) => f.name),
      additionalProperties: false,
    },
    [names.patch]: {
      type: 'object',
      title: `${title} changes`,
      description: 'The fields to change (null empties a field); `version` as an alternative to If-Match',
      properties: {
        version: { type: 'integer', minimum: 1 },
        owner: SYSTEM_PROPERTIES.owner,
        ...writableProperties(false),
      },
      additionalProperties: false,
    },
    [names.page]: {
      type: 'object',
      properties: {
        data: { type: 'array', items: schemaRef(names.record) },
        nextCursor: {
          type: ['string', 'null'],
          description: 'Pass as `cursor` for the next page; null on the last',
        },
        total: { type: 'integer', description: 'With `count=true`' },
      },
      required: ['data', 'nextCursor'],
    },
  };
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const etagHeader = { ETag: { description: 'The record version, quoted', schema: { type: 'string' } } };

function listParameters(module: CompiledModule): JsonSchema[] {
  const sortable = module.fields.filter((f) => f.type.sortable && f.columns.length > 0).map((f) => f.name);
  return [
    parameterRef('Filter'),
    parameterRef('Search'),
    {
      name: 'sort',
      in: 'query',
      description: `Comma-separated fields, \`-\` for descending (default \`-created_at\`). Sortable: id, version, created_at, updated_at${sortable.map((n) => `, ${n}`).join('')}`,
      schema: { type: 'string' },
    },
    parameterRef('Limit'),
    parameterRef('Cursor'),
    {
      name: 'fields',
      in: 'query',
      description: `Comma-separated fields to return (system fields always come): ${module.fields.map((f) => f.name).join(', ')}`,
      schema: { type: 'string' },
    },
    parameterRef('Count'),
  ];
}

/** A record in a response body, with its version as the ETag. */
function recordResponse(names: ModuleNames): JsonSchema {
  return { description: 'The record', headers: etagHeader, content: json(schemaRef(names.record)) };
}

/** A page of `page` records: what the list, recycle-bin and related-list endpoints answer. */
function pageResponses(description: string, page: string): JsonSchema {
  return {
    200: { description, content: json(schemaRef(page)) },
    400: responseRef('BadRequest'),
    404: responseRef('NotFound'),
  };
}

/** The answers of a write with a JSON body: `success`, or what the body or the record's state refuses. */
function writeResponses(success: JsonSchema, conflict: JsonSchema): JsonSchema {
  return {
    ...success,
    400: responseRef('BadRequest'),
    404: responseRef('NotFound'),
    409: conflict,
    413: responseRef('PayloadTooLarge'),
    423: responseRef('Locked'),
    415: responseRef('UnsupportedMediaType'),
    422: responseRef('UnprocessableContent'),
  };
}

/** 409 on a stale write: the problem carries the record as it is now. */
function staleConflict(names: ModuleNames): JsonSchema {
  return {
    description:
      'The record changed since the version given (the body holds `current`), or a unique value is taken',
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          allOf: [
            schemaRef(crmSchema('Problem')),
            { type: 'object', properties: { current: schemaRef(names.record) } },
          ],
        },
      },
    },
  };
}

/** A related list of a module's records: `/records/{id}/related/{name}` lists `records`. */
export interface RelatedPath {
  name: string;
  summary: string;
  records: CompiledModule;
  recordNames: ModuleNames;
}

export function modulePaths(
  module: CompiledModule,
  names: ModuleNames,
  related: RelatedPath[],
): Record<string, JsonSchema> {
  const base = `/api/modules/${module.name}/records`;
  const tags = [module.name];
  // Each verb starts with another letter and PascalCase names hold `_` only before a digit, so
  // these ids stay unique across modules (`related` + `Customer` + `_Opportunities`).
  const op = (verb: string) => `${verb}${names.record}`;
  const record = recordResponse(names);
  const paths: Record<string, JsonSchema> = {
    [base]: {
      get: {
        tags,
        operationId: op('list'),
        summary: `List ${module.name} records`,
        parameters: [
          ...listParameters(module),
          {
            name: 'view',
            in: 'query',
            description:
              "`default`: the module's list view gives the sort and the fields not named (its columns, title and kanban fields you may read)",
            schema: { type: 'string', enum: ['default'] },
          },
        ],
        responses: pageResponses('A page of records', names.page),
      },
      post: {
        tags,
        operationId: op('create'),
        summary: `Create a ${module.name} record`,
        requestBody: { required: true, content: json(schemaRef(names.input)) },
        responses: writeResponses(
          {
            201: {
              ...record,
              headers: {
                ...etagHeader,
                Location: { description: 'The new record', schema: { type: 'string' } },
              },
            },
          },
          responseRef('Conflict'),
        ),
      },
    },
    [`${base}/{id}`]: {
      parameters: [parameterRef('RecordId')],
      get: {
        tags,
        operationId: op('get'),
        summary: `Get a ${module.name} record`,
        responses: {
          200: record,
          304: { description: 'Not modified (If-None-Match)' },
          404: responseRef('NotFound'),
        },
      },
      patch: {
        tags,
        operationId: op('update'),
        summary: `Change a ${module.name} record`,
        parameters: [parameterRef('IfMatch')],
        requestBody: { required: true, content: json(schemaRef(names.patch)) },
        responses: writeResponses({ 200: record }, staleConflict(names)),
      },
      delete: {
        tags,
        operationId: op('delete'),
        summary: `Delete a ${module.name} record`,
        parameters: [parameterRef('IfMatch')],
        responses: {
          204: { description: 'Deleted' },
          400: responseRef('BadRequest'),
          404: responseRef('NotFound'),
          409: staleConflict(names),
          423: responseRef('Locked'),
        },
      },
    },
    [`/api/modules/${module.name}/defaults`]: {
      get: {
        tags,
        operationId: op('newDefaults'),
        summary: `What a new ${module.name} record starts with`,
        description:
          'The defaults a create would apply now for the caller (they as the owner, the server clock), and per ' +
          'sub-table what a new row starts with; the fields the caller may read. For the new-record form.',
        responses: {
          200: {
            description: 'The defaults',
            content: json({
              type: 'object',
              required: ['values', 'rows'],
              properties: {
                values: schemaRef(names.patch),
                rows: { type: 'object', additionalProperties: { type: 'object' } },
              },
            }),
          },
          403: responseRef('Forbidden'),
          404: responseRef('NotFound'),
        },
      },
    },
    [`${base}/{id}/approvals`]: recordApprovalsPath(tags, op('approvals'), module.name),
    [`${base}/{id}/history`]: {
      parameters: [parameterRef('RecordId')],
      get: {
        tags,
        operationId: op('history'),
        summary: `Changes of a ${module.name} record, newest first`,
        parameters: [
          {
            name: 'before',
            in: 'query',
            description: 'Entries before this version',
            schema: { type: 'integer', minimum: 1 },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
        ],
        responses: {
          200: {
            description: 'History entries',
            content: json({ type: 'array', items: schemaRef(crmSchema('HistoryEntry')) }),
          },
          400: responseRef('BadRequest'),
          404: responseRef('NotFound'),
        },
      },
    },
  };
  Object.assign(paths, subtablePaths(module, names, base, record));
  Object.assign(paths, binPaths(module, names, base, op, record));
  for (const { name, summary, records, recordNames } of related) {
    paths[`${base}/{id}/related/${name}`] = {
      parameters: [parameterRef('RecordId')],
      get: {
        tags,
        operationId: `${op('related')}_${moduleSchemaName(name)}`,
        summary,
        parameters: listParameters(records),
        responses: pageResponses('A page of related records', recordNames.page),
      },
    };
  }
  return paths;
}

/** Row-level endpoints of each sub-table: each call is a change of the record, answered with the record. */
function subtablePaths(
  module: CompiledModule,
  names: ModuleNames,
  base: string,
  record: JsonSchema,
): Record<string, JsonSchema> {
  const paths: Record<string, JsonSchema> = {};
  const fields = fieldSchemas(module, names.record);
  const tags = [module.name];
  const rowId = { name: 'rowId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  for (const sub of module.subtables) {
    const rows = fields.get(sub.name) as JsonSchema;
    const row = rows.items as JsonSchema;
    const properties = { ...(row.properties as Record<string, JsonSchema>) };
    delete properties.id;
    const newRow = { ...row, properties };
    const changes = { ...newRow, required: [] };
    const op = (verb: string) => `${verb}${names.record}_${moduleSchemaName(sub.name)}`;
    const rowWrite = (status: 200 | 201) => writeResponses({ [status]: record }, staleConflict(names));
    paths[`${base}/{id}/rows/${sub.name}`] = {
      parameters: [parameterRef('RecordId')],
      get: {
        tags,
        operationId: op('rows'),
        summary: `The ${sub.name} rows of a ${module.name} record, in order`,
        responses: { 200: { description: 'The rows', content: json(rows) }, 404: responseRef('NotFound') },
      },
      post: {
        tags,
        operationId: op('appendRow'),
        summary: `Append a row to ${sub.name} (a change of the record: new version, history)`,
        parameters: [parameterRef('IfMatch')],
        requestBody: { required: true, content: json(newRow) },
        responses: rowWrite(201),
      },
    };
    paths[`${base}/{id}/rows/${sub.name}/{rowId}`] = {
      parameters: [parameterRef('RecordId'), rowId],
      get: {
        tags,
        operationId: op('row'),
        summary: `One ${sub.name} row of a ${module.name} record`,
        responses: { 200: { description: 'The row', content: json(row) }, 404: responseRef('NotFound') },
      },
      patch: {
        tags,
        operationId: op('changeRow'),
        summary: `Change fields of a ${sub.name} row (null empties one)`,
        parameters: [parameterRef('IfMatch')],
        requestBody: { required: true, content: json(changes) },
        responses: rowWrite(200),
      },
      delete: {
        tags,
        operationId: op('deleteRow'),
        summary: `Remove a ${sub.name} row`,
        parameters: [parameterRef('IfMatch')],
        responses: rowWrite(200),
      },
    };
  }
  return paths;
}

/** The module's recycle bin and reverting a record to an earlier version. */
function binPaths(
  module: CompiledModule,
  names: ModuleNames,
  base: string,
  op: (verb: string) => string,
  record: JsonSchema,
): Record<string, JsonSchema> {
  const tags = [module.name];
  const bin = `/api/modules/${module.name}/recycle-bin`;
  return {
    [bin]: {
      get: {
        tags,
        operationId: op('binList'),
        summary: `${module.name} records in the recycle bin (those you could delete), newest deletion first`,
        parameters: listParameters(module),
        responses: pageResponses('A page of deleted records', names.page),
      },
      delete: {
        tags,
        operationId: op('binEmpty'),
        summary: `Purge the ${module.name} recycle bin for good (administrators)`,
        parameters: [
          {
            name: 'deletedBefore',
            in: 'query',
            description: 'Only records deleted before this time',
            schema: { type: 'string', format: 'date-time' },
          },
        ],
        responses: {
          200: {
            description: 'How many records were purged',
            content: json({
              type: 'object',
              properties: { purged: { type: 'integer' } },
              required: ['purged'],
            }),
          },
          403: responseRef('Forbidden'),
          409: responseRef('Conflict'),
          422: responseRef('UnprocessableContent'),
        },
      },
    },
    [`${bin}/{id}`]: {
      parameters: [parameterRef('RecordId')],
      delete: {
        tags,
        operationId: op('binPurge'),
        summary: `Purge a deleted ${module.name} record and its history for good (administrators)`,
        responses: {
          204: { description: 'Purged' },
          403: responseRef('Forbidden'),
          404: responseRef('NotFound'),
          409: responseRef('Conflict'),
        },
      },
    },
    [`${bin}/{id}/restore`]: {
      parameters: [parameterRef('RecordId')],
      post: {
        tags,
        operationId: op('binRestore'),
        summary: `Restore a deleted ${module.name} record`,
        responses: {
          200: record,
          403: responseRef('Forbidden'),
          404: responseRef('NotFound'),
          409: responseRef('Conflict'),
        },
      },
    },
    [`${base}/{id}/history/{version}/revert`]: {
      parameters: [
        parameterRef('RecordId'),
        { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
      ],
      post: {
        tags,
        operationId: op('revert'),
        summary: `Set a ${module.name} record's fields back to an earlier version (as a new version)`,
        parameters: [parameterRef('IfMatch')],
        responses: {
          200: record,
          400: responseRef('BadRequest'),
          403: responseRef('Forbidden'),
          404: responseRef('NotFound'),
          409: staleConflict(names),
          422: responseRef('UnprocessableContent'),
        },
      },
    },
  };
}
