import type { ModuleDefinition } from '../definitions/types.ts';
import type { FieldCheckProblem, FieldType, JsonSchema } from './registry.ts';
import { mainColumn } from './shared.ts';

export interface RelationSettings {
  /** Id of the module the field points to. */
  target: string;
  /** The list of records pointing here, shown on the target. */
  inverse?: { name: string; label: Record<string, string> };
  /** What deleting a target record does to records pointing at it. */
  onDelete?: 'restrict' | 'setNull';
}

export function relationSettings(field: { [k: string]: unknown }): RelationSettings {
  return field as unknown as RelationSettings;
}

/** The settings a relation and a many relation share: the target module and the inverse list. */
export const relationSettingsSchema: Record<'target' | 'inverse', JsonSchema> = {
  target: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
  inverse: {
    type: 'object',
    properties: {
      name: { $ref: '#/$defs/apiName' },
      label: { $ref: '#/$defs/localeText' },
    },
    required: ['name', 'label'],
    additionalProperties: false,
  },
};

/** The target must exist and the inverse list's name must not clash with a field of the target. */
export function targetAndInverseProblems(
  field: { [k: string]: unknown },
  modules: ReadonlyMap<string, ModuleDefinition>,
): FieldCheckProblem[] {
  const { target, inverse } = relationSettings(field);
  const targetModule = modules.get(target);
  if (!targetModule) return [{ pointer: '/target', message: `no module with id '${target}'` }];
  if (inverse && targetModule.fields.some((f) => f.name === inverse.name)) {
    return [
      {
        pointer: '/inverse/name',
        message: `module '${targetModule.name}' already has a field named '${inverse.name}'`,
      },
    ];
  }
  return [];
}

/** Many-to-one lookup to another module's record, with an optional inverse list on the target. */
export const relationField: FieldType = {
  type: 'relation',
  label: { en: 'Relation', 'zh-CN': '关联' },
  settings: {
    properties: {
      ...relationSettingsSchema,
      onDelete: { enum: ['restrict', 'setNull'] },
    },
    required: ['target'],
  },
  widget: 'lookup',
  feelType: () => 'string',
  columns: mainColumn('uuid'),
  valueSchema: () => ({ type: 'string', format: 'uuid' }),
  check: (field, { modules }) => targetAndInverseProblems(field, modules),
  filter: 'reference',
  sortable: true,
};
