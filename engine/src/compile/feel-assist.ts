import { rowScope } from '../definitions/check-subtable.ts';
import type { FieldDefinition, LocaleText, ModuleDefinition } from '../definitions/types.ts';
import { localizedError } from '../errors.ts';
import {
  FEEL_BUILTIN_FUNCTIONS,
  type FeelScope,
  type FeelType,
  isUnsupportedFeelFunction,
} from '../expressions/index.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { feelScopeOf } from './scope.ts';

/** A name an expression of a module may use, for the designer's completion list. */
export interface FeelCompletion {
  name: string;
  kind: 'field' | 'system' | 'function';
  feelType?: FeelType;
  /** The field's type (`money`, `select` …). */
  fieldType?: string;
  label?: LocaleText;
}

const SYSTEM_LABELS: Record<string, LocaleText> = {
  id: { en: 'Record id', 'zh-CN': '记录 ID' },
  owner: { en: 'Owner', 'zh-CN': '负责人' },
  created_at: { en: 'Created at', 'zh-CN': '创建时间' },
  updated_at: { en: 'Updated at', 'zh-CN': '更新时间' },
};

const ROW_ID_LABEL: LocaleText = { en: 'Row id', 'zh-CN': '行 ID' };

/** The sub-table field named `subtable` of the definition (422 on `/subtable` when there is none). */
export function subtableOf(definition: ModuleDefinition, subtable: string): FieldDefinition {
  const field = definition.fields.find((f) => f.name === subtable && f.type === 'subtable');
  if (!field || !Array.isArray(field.fields)) {
    throw localizedError('invalid-input', '/subtable', 'not-found', {
      en: `subtable: ${definition.name} has no sub-table named '${subtable}'`,
      'zh-CN': `subtable：${definition.name} 没有名为“${subtable}”的子表`,
    });
  }
  return field;
}

/** The fields an expression reads: the module's, or the rows' of the sub-table `subtable`. */
export function feelFieldsFor(definition: ModuleDefinition, subtable?: string): FieldDefinition[] {
  return subtable === undefined
    ? definition.fields
    : (subtableOf(definition, subtable).fields as FieldDefinition[]);
}

/**
 * The scope an expression of `definition` is checked in: its fields and the system fields, or for
 * an expression over the rows of `subtable` (row rules, row formulas) the row's fields and its id; a
 * formula (`ownField`) cannot read itself.
 */
export function feelScopeFor(
  definition: ModuleDefinition,
  registry: FieldTypeRegistry,
  ownField?: string,
  subtable?: string,
): FeelScope {
  const scope =
    subtable === undefined
      ? feelScopeOf(definition, registry)
      : rowScope(subtableOf(definition, subtable), registry);
  if (ownField !== undefined) delete scope.variables[ownField];
  return scope;
}

/**
 * The module's fields (with types and labels), the system fields and FEEL's functions; for the rows
 * of `subtable`, the row's fields and its id.
 */
export function feelCompletions(
  definition: ModuleDefinition,
  registry: FieldTypeRegistry,
  ownField?: string,
  subtable?: string,
): FeelCompletion[] {
  const scope = feelScopeFor(definition, registry, ownField, subtable);
  const completions: FeelCompletion[] = [];
  for (const field of feelFieldsFor(definition, subtable)) {
    const feelType = scope.variables[field.name];
    if (feelType === undefined) continue;
    completions.push({
      name: field.name,
      kind: 'field',
      feelType,
      fieldType: field.type,
      label: field.label,
    });
  }
  const system = subtable === undefined ? SYSTEM_LABELS : { id: ROW_ID_LABEL };
  for (const [name, label] of Object.entries(system)) {
    const feelType = scope.variables[name];
    if (feelType !== undefined) completions.push({ name, kind: 'system', feelType, label });
  }
  for (const name of [...FEEL_BUILTIN_FUNCTIONS].sort()) {
    if (!isUnsupportedFeelFunction(name)) completions.push({ name, kind: 'function' });
  }
  return completions;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Record values as the API writes them, as FEEL sees them in formulas and rules (money as its amount,
 * in the record and in sub-table rows; see records/prepare.ts `feelInput`), for trying an expression.
 */
export function feelSampleValues(
  fields: ModuleDefinition['fields'],
  values: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = { ...values };
  for (const field of fields) {
    const value = values[field.name];
    if ((field.type === 'money' || field.type === 'rollup') && isObject(value))
      input[field.name] = value.amount;
    if (field.type === 'subtable' && Array.isArray(value) && Array.isArray(field.fields)) {
      const rowFields = field.fields as ModuleDefinition['fields'];
      input[field.name] = value.map((row) => (isObject(row) ? feelSampleValues(rowFields, row) : row));
    }
  }
  return input;
}
