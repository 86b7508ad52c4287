import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldCheckContext, FieldCheckProblem, FieldType, JsonSchema } from './registry.ts';
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

/**
 * The target must exist, and the inverse list's name must clash neither with a field of the target
 * nor with another relation's inverse list on it.
 */
export function targetAndInverseProblems(
  field: FieldDefinition,
  { module, modules }: FieldCheckContext,
): FieldCheckProblem[] {
  const { target, inverse } = relationSettings(field);
  const targetModule = modules.get(target);
  if (!targetModule) return [{ pointer: '/target', message: `no module with id '${target}'` }];
  if (!inverse) return [];
  const clash = (message: string) => [{ pointer: '/inverse/name', message }];
  if (targetModule.fields.some((f) => f.name === inverse.name)) {
    return clash(`module '${targetModule.name}' already has a field named '${inverse.name}'`);
  }
  for (const other of modules.values()) {
    const source = other.id === module.id ? module : other;
    const taken = source.fields.find(
      (f) =>
        !(source === module && f.id === field.id) &&
        (f.type === 'relation' || f.type === 'relations') &&
        relationSettings(f).target === target &&
        relationSettings(f).inverse?.name === inverse.name,
    );
    if (taken) {
      return clash(
        `${source.name}.${taken.name} already lists its records on '${targetModule.name}' as '${inverse.name}'`,
      );
    }
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
  check: targetAndInverseProblems,
  filter: 'reference',
  sortable: true,
};
