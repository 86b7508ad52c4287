import { type JsonSchema, MANIFEST_FILE, PACKAGE_FORMAT } from '@crm/engine';
import { crmSchema, responseRef, schemaRef } from './names.ts';

// App packages in the OpenAPI document: export, preview and import of a workspace's configuration.

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const ref = (name: string) => schemaRef(crmSchema(name));
const tags = ['packages'];
const guarded = { 401: responseRef('Unauthorized'), 403: responseRef('Forbidden') };
const bodyProblems = {
  400: responseRef('BadRequest'),
  413: responseRef('PayloadTooLarge'),
  415: responseRef('UnsupportedMediaType'),
  422: responseRef('UnprocessableContent'),
};

export const packagesTag = {
  name: 'packages',
  description:
    'App packages (admins): the configuration (modules with fields, rules and layouts; roles) as diffable files, ' +
    'previewed and imported all or nothing',
};

const manifest: JsonSchema = {
  type: 'object',
  description: `${MANIFEST_FILE}: what the package is (format ${PACKAGE_FORMAT})`,
  properties: {
    format: { type: 'integer', minimum: 1, maximum: PACKAGE_FORMAT },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    version: { type: 'string', description: 'x.y.z, optionally -suffix' },
    label: ref('LocaleText'),
    description: ref('LocaleText'),
  },
  required: ['format', 'name', 'version', 'label'],
};

const change: JsonSchema = {
  type: 'object',
  properties: {
    part: {
      type: 'string',
      description: 'module, field, fields, rule, section, layout, role, permission or field-right',
    },
    change: { enum: ['added', 'removed', 'changed', 'renamed', 'reordered'] },
    name: { type: 'string' },
    from: {},
    to: {},
    settings: { type: 'array', items: { type: 'string' }, description: 'The settings that differ' },
    description: ref('LocaleText'),
  },
  required: ['part', 'change', 'description'],
};

const preview: JsonSchema = {
  type: 'object',
  properties: {
    manifest: ref('PackageManifest'),
    installed: {
      oneOf: [ref('PackageManifest'), { type: 'null' }],
      description: 'The package imported last',
    },
    summary: {
      type: 'object',
      properties: {
        added: { type: 'integer' },
        changed: { type: 'integer' },
        unchanged: { type: 'integer' },
      },
      required: ['added', 'changed', 'unchanged'],
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', description: 'modules or roles' },
          file: { type: 'string' },
          id: { type: 'string' },
          name: { type: 'string' },
          status: { enum: ['added', 'changed', 'unchanged'] },
          fromVersion: { type: ['integer', 'null'] },
          toVersion: { type: 'integer' },
          replacesDraft: { type: 'boolean' },
          changes: { type: 'array', items: ref('PackageChange') },
        },
        required: ['kind', 'file', 'id', 'name', 'status', 'changes'],
      },
    },
    untouched: {
      type: 'array',
      description: 'What the workspace has and the package does not name: left as it is',
      items: {
        type: 'object',
        properties: { kind: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } },
        required: ['kind', 'id', 'name'],
      },
    },
    steps: { type: 'array', items: ref('MigrationStep') },
    problems: {
      type: 'array',
      items: ref('ApiError'),
      description:
        'Why the import cannot go ahead (each pointer: the file, then the place in it); empty when it can',
    },
  },
  required: ['manifest', 'installed', 'summary', 'items', 'untouched', 'steps', 'problems'],
};

export const packageSchemas: Record<string, JsonSchema> = {
  [crmSchema('PackageFiles')]: {
    type: 'object',
    description:
      `The package's files by path: ${MANIFEST_FILE}, modules/<name>.json, roles/<id>.json. Each value is the ` +
      "file's text (canonical JSON: fixed key order, 2-space indent, final newline)",
    additionalProperties: { type: 'string' },
  },
  [crmSchema('PackageManifest')]: manifest,
  [crmSchema('PackageChange')]: change,
  [crmSchema('PackagePreview')]: preview,
  [crmSchema('PackageImportResult')]: {
    ...preview,
    properties: { ...(preview.properties as Record<string, JsonSchema>), imported: { const: true } },
    required: [...(preview.required as string[]), 'imported'],
  },
};

const zip = { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } };
const confirmDataLoss = {
  name: 'confirmDataLoss',
  in: 'query',
  schema: { type: 'boolean' },
  description:
    'Let type changes in the package drop the values they cannot convert (kept in an archived column)',
};
const filesBody = {
  required: true,
  description: 'The files as JSON, or a zip archive of them (at its root or in one folder)',
  content: { ...json(ref('PackageFiles')), ...zip },
};

export const packagePaths: Record<string, JsonSchema> = {
  '/api/package': {
    get: {
      tags,
      operationId: 'exportPackage',
      summary: 'The configuration as package files (the same bytes for the same configuration)',
      parameters: [
        {
          name: 'name',
          in: 'query',
          schema: { type: 'string' },
          description: 'The package name (default: that of the package imported last, else the workspace id)',
        },
        {
          name: 'version',
          in: 'query',
          schema: { type: 'string' },
          description: 'The package version (default: that of the package imported last, else 1.0.0)',
        },
      ],
      responses: {
        200: ok('The files', ref('PackageFiles')),
        ...guarded,
        422: responseRef('UnprocessableContent'),
      },
    },
  },
  '/api/package/preview': {
    post: {
      tags,
      operationId: 'previewPackage',
      summary: 'What importing the package would add, change and leave, its migration plan and problems',
      parameters: [confirmDataLoss],
      requestBody: filesBody,
      responses: {
        200: ok('The preview (nothing is changed)', ref('PackagePreview')),
        ...bodyProblems,
        ...guarded,
      },
    },
  },
  '/api/package/import': {
    post: {
      tags,
      operationId: 'importPackage',
      summary: 'Import the package all or nothing; what equals the workspace already is left untouched',
      parameters: [confirmDataLoss],
      requestBody: filesBody,
      responses: {
        200: ok('Imported', ref('PackageImportResult')),
        ...bodyProblems,
        ...guarded,
        409: responseRef('Conflict'),
      },
    },
  },
};
