import type { CompiledModule, InverseRelation, JsonSchema, LinkList } from '@crm/engine';
import { accessPaths, accessSchemas, accessTag, moduleAccessPaths } from './access.ts';
import { approvalPaths, approvalSchemas, approvalTag } from './approvals.ts';
import { commonParameters, commonResponses, commonSchemas } from './common.ts';
import { designerPaths, designerSchemas } from './designer.ts';
import { filePaths, fileSchemas, filesTag } from './files.ts';
import {
  identityPaths,
  identityResponses,
  identitySchemas,
  PUBLIC_OPERATIONS,
  securitySchemes,
} from './identity.ts';
import { listPaths, listSchemas, moduleBulkPaths, viewsTag } from './lists.ts';
import { metaPaths, metaSchemas } from './meta.ts';
import { type ModuleNames, moduleNames, modulePaths, moduleSchemas, type RelatedPath } from './modules.ts';
import { moduleSchemaName } from './names.ts';
import { notificationPaths, notificationSchemas, notificationTag } from './notifications.ts';
import { packagePaths, packageSchemas, packagesTag } from './packages.ts';
import { pluginPaths, pluginSchemas, pluginsTag } from './plugins.ts';
import { modulePoolPaths } from './pool.ts';
import { webhookPaths, webhookSchemas, webhooksTag } from './webhooks.ts';
import { workflowTriggerPaths, workflowTriggerSchemas } from './workflow-triggers.ts';
import { workflowPaths, workflowSchemas, workflowTag } from './workflows.ts';

export interface DocumentSource {
  modules: CompiledModule[];
  inverses(moduleId: string): InverseRelation[];
  /** Many-relation lists on a module's records (its fields and inverse lists). */
  linkLists?(moduleId: string): LinkList[];
  fieldTypes: string[];
}

/** The OpenAPI 3.1 document of the API as the published modules make it now. */
export function buildOpenApiDocument(source: DocumentSource): JsonSchema {
  const modules = [...source.modules].sort((a, b) => a.name.localeCompare(b.name));
  const taken = new Set(modules.map((m) => moduleSchemaName(m.name)));
  const names = new Map(modules.map((m) => [m.id, moduleNames(m, taken)]));
  const schemas: Record<string, JsonSchema> = {
    ...commonSchemas,
    ...metaSchemas(source.fieldTypes),
    ...identitySchemas,
    ...accessSchemas,
    ...fileSchemas,
    ...packageSchemas,
    ...workflowSchemas,
    ...designerSchemas,
    ...workflowTriggerSchemas,
    ...notificationSchemas,
    ...listSchemas,
    ...approvalSchemas,
    ...pluginSchemas,
    ...webhookSchemas,
  };
  const paths: Record<string, JsonSchema> = {
    ...metaPaths,
    ...identityPaths,
    ...accessPaths,
    ...filePaths,
    ...packagePaths,
    ...workflowPaths,
    ...designerPaths,
    ...workflowTriggerPaths,
    ...notificationPaths,
    ...listPaths,
    ...approvalPaths,
    ...pluginPaths,
    ...webhookPaths,
  };
  for (const module of modules) {
    const own = moduleNames(module, taken);
    Object.assign(schemas, moduleSchemas(module, own));
    Object.assign(paths, modulePaths(module, own, relatedPaths(source, module, names)));
    Object.assign(paths, moduleAccessPaths(module, own.record));
    Object.assign(paths, moduleBulkPaths(module.name, own.record));
    Object.assign(paths, modulePoolPaths(module, own.record));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: modules.map((m) => `${m.name}@${m.version}`).join(' ') || 'no modules published',
      description:
        'Generated from the published module definitions. Errors are RFC 9457 problem documents whose ' +
        '`errors` name each invalid value by JSON pointer.',
    },
    tags: [
      { name: 'system' },
      { name: 'definitions', description: 'Modules, drafts, publishing and field types' },
      { name: 'authentication', description: 'Login, sessions, the current user and personal API tokens' },
      {
        name: 'organisation',
        description: 'Departments, positions, users, roles, login history, security (admins)',
      },
      accessTag,
      filesTag,
      packagesTag,
      workflowTag,
      notificationTag,
      viewsTag,
      approvalTag,
      pluginsTag,
      webhooksTag,
      ...modules.map((m) => ({ name: m.name, description: m.definition.label.en ?? m.name })),
    ],
    // every operation wants a session cookie or a bearer token, but the few that hand them out
    security: [{ session: [] }, { token: [] }],
    paths: withPublicOperations(paths),
    components: {
      schemas,
      responses: { ...commonResponses, ...identityResponses },
      parameters: commonParameters,
      securitySchemes,
    },
  };
}

/** The related lists of a module's records: inverses of relations, both sides of many-relations. */
function relatedPaths(
  source: DocumentSource,
  module: CompiledModule,
  names: ReadonlyMap<string, ModuleNames>,
): RelatedPath[] {
  const inverses = source
    .inverses(module.id)
    .filter((inverse) => !inverse.field.linkTable)
    .map((inverse) => ({
      name: inverse.name,
      summary: `${inverse.source.name} records whose ${inverse.field.name} is this ${module.name}`,
      records: inverse.source,
    }));
  const links = (source.linkLists?.(module.id) ?? []).map((list) => ({
    name: list.name,
    summary: list.forward
      ? `${list.other.name} records this ${module.name} links to through ${list.name}`
      : `${list.other.name} records linking to this ${module.name} through ${list.field.name}`,
    records: list.other,
  }));
  return [...inverses, ...links].flatMap((path) => {
    const recordNames = names.get(path.records.id);
    return recordNames ? [{ ...path, recordNames }] : [];
  });
}

function withPublicOperations(paths: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const result = { ...paths };
  for (const [path, method] of PUBLIC_OPERATIONS) {
    const item = result[path] as Record<string, JsonSchema> | undefined;
    if (item?.[method]) result[path] = { ...item, [method]: { ...item[method], security: [] } };
  }
  return result;
}
