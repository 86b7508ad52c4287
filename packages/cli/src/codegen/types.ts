import type { CompiledModule, JsonSchema } from '@crm/engine';
import { type ModuleNames, moduleNames, moduleSchemas } from '@crm/runtime';
import { compile } from 'json-schema-to-typescript';

const COMPONENTS = '#/components/schemas/';

/** Each module's record, input and patch schema (those of the OpenAPI document), named for TypeScript. */
export function moduleTypeNames(modules: CompiledModule[]): Map<CompiledModule, ModuleNames> {
  const taken = new Set(modules.map((m) => moduleNames(m, new Set()).record));
  return new Map(modules.map((m) => [m, moduleNames(m, taken)]));
}

/**
 * Nested titles (field labels) would become interfaces of their own, colliding across modules;
 * references into `components.schemas` point into the one `$defs` compiled here.
 */
function prepare(node: unknown, top: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => prepare(item, false));
  if (typeof node !== 'object' || node === null) return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'title' && !top) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENTS)) {
      result.$ref = `#/$defs/${value.slice(COMPONENTS.length)}`;
      continue;
    }
    // enums and consts are data, not schemas
    result[key] = key === 'enum' || key === 'const' || key === 'examples' ? value : prepare(value, false);
  }
  return result;
}

/** TypeScript declarations of every module's record, input (create) and patch (update) shapes. */
export async function moduleTypes(modules: CompiledModule[]): Promise<string> {
  const defs: Record<string, JsonSchema> = {};
  for (const [module, names] of moduleTypeNames(modules)) {
    const { [names.page]: _page, ...schemas } = moduleSchemas(module, names);
    for (const [name, schema] of Object.entries(schemas)) {
      const { title, description, ...rest } = schema;
      defs[name] = {
        ...(prepare(rest, true) as JsonSchema),
        title: name,
        description: [title, description].filter(Boolean).join(': '),
      };
    }
  }
  const text = await compile(
    { title: 'CrmModules', type: 'object', additionalProperties: false, properties: {}, $defs: defs },
    'CrmModules',
    {
      bannerComment: '',
      unreachableDefinitions: true,
      additionalProperties: false,
      strictIndexSignatures: true,
    },
  );
  // the root only carries the definitions
  return text
    .replace(/^export interface CrmModules \{\s*\}\n/m, '')
    .replaceAll(
      / \*\n \* This interface was referenced by `CrmModules`'s JSON-Schema\n \* via the `definition` "\w+(?:\.\w+)*"\.\n/g,
      '',
    );
}
