import { newId } from '@crm/engine/browser';
import type { FieldDefinition, FieldTypeInfo, ModuleDefinition } from '../api.ts';
import { nameFromLabel } from '../modules/names.ts';

/** Settings a new field of each type needs before it can be published. */
const STARTER_SETTINGS: Record<string, Record<string, unknown>> = {
  select: {
    options: [
      { value: 'a', label: { en: 'Option A', 'zh-CN': '选项 A' } },
      { value: 'b', label: { en: 'Option B', 'zh-CN': '选项 B' } },
    ],
  },
  multiSelect: {
    options: [
      { value: 'a', label: { en: 'Option A', 'zh-CN': '选项 A' } },
      { value: 'b', label: { en: 'Option B', 'zh-CN': '选项 B' } },
    ],
  },
  money: { currency: 'CNY' },
  formula: { expression: '1', resultType: 'number' },
  autonumber: { pattern: 'NO-{0000}' },
};

/** A new field of `type`, named after the type's label so it is unique in the module. */
export function newField(type: FieldTypeInfo, definition: ModuleDefinition, label: string): FieldDefinition {
  const taken = new Set(definition.fields.map((f) => f.name));
  const name = nameFromLabel(type.type.replace(/([A-Z])/g, '_$1'), taken, 'field');
  return {
    id: newId('fld'),
    name,
    type: type.type,
    label: { en: type.label.en ?? label, 'zh-CN': type.label['zh-CN'] ?? label },
    ...structuredClone(STARTER_SETTINGS[type.type] ?? {}),
  };
}

/** Removes a field and its mentions (layout, title field, rules' field lists). */
export function removeFieldEverywhere(definition: ModuleDefinition, name: string): ModuleDefinition {
  return {
    ...definition,
    fields: definition.fields.filter((f) => f.name !== name),
    ...(definition.titleField === name ? { titleField: undefined } : {}),
    ...(definition.layout
      ? {
          layout: {
            ...definition.layout,
            sections: definition.layout.sections.map((s) => ({
              ...s,
              fields: s.fields.filter((f) => f !== name),
            })),
          },
        }
      : {}),
    ...(definition.rules
      ? {
          rules: definition.rules.map((r) =>
            r.fields ? { ...r, fields: r.fields.filter((f) => f !== name) } : r,
          ),
        }
      : {}),
  };
}
