import type { FieldDefinition, ModuleDefinition } from '@crm/engine/browser';
import { type PluginCellProps, pluginCells } from '@crm/sdk/browser';
import { api, type Formatters, type LabelMap } from '@crm/ui';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';

/** Operator families of the list API's filter language (GET /api/meta/field-types). */
export type Family = 'text' | 'number' | 'date' | 'boolean' | 'choice' | 'multi' | 'reference' | 'links';

interface FieldTypeInfo {
  type: string;
  filter: Family | null;
  operators: string[];
  sortable: boolean;
  /** The list cell renderer a plugin's browser entry registers for the type (null: plain text). */
  cell?: string | null;
  /** The form widget (rjsf `ui:widget`) of the type. */
  widget?: string;
}

export const OPERATORS_BY_FAMILY: Record<Family, string[]> = {
  text: ['contains', 'notContains', 'eq', 'ne', 'startsWith', 'endsWith', 'in', 'nin', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'notEmpty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'notEmpty'],
  boolean: ['eq', 'ne', 'empty', 'notEmpty'],
  choice: ['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty'],
  multi: ['hasAny', 'hasAll', 'hasNone', 'empty', 'notEmpty'],
  reference: ['eq', 'ne', 'empty', 'notEmpty'],
  links: ['empty', 'notEmpty'],
};

/** Operators that take no value. */
export const NO_VALUE = new Set(['empty', 'notEmpty']);
/** Operators that take a list of values. */
export const LIST_VALUE = new Set(['in', 'nin', 'hasAny', 'hasAll', 'hasNone']);

/** The field types' filter families and sortability, from the server (the same registry the API uses). */
export const fieldTypesQuery = () =>
  queryOptions({
    queryKey: ['field-types'],
    queryFn: () => api.get<FieldTypeInfo[]>('/api/meta/field-types'),
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useFieldTypes() {
  return useQuery(fieldTypesQuery());
}

const RESULT_FAMILIES: Record<string, Family> = {
  text: 'text',
  number: 'number',
  integer: 'number',
  decimal: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'date',
};

/** A field's operator family: its type's, or for formulas and rollups their result's. */
export function familyOf(field: FieldDefinition, types: FieldTypeInfo[] | undefined): Family | undefined {
  if (field.type === 'formula') return RESULT_FAMILIES[String(field.resultType)] ?? undefined;
  if (field.type === 'rollup') return RESULT_FAMILIES[String(field.resultType ?? 'number')] ?? 'number';
  return types?.find((t) => t.type === field.type)?.filter ?? undefined;
}

export function isSortable(field: FieldDefinition, types: FieldTypeInfo[] | undefined): boolean {
  return types?.find((t) => t.type === field.type)?.sortable === true;
}

/** The plugin cell that renders values of `field`'s type, when its plugin's browser entry registered one. */
export function pluginCellOf(
  field: FieldDefinition,
  types: FieldTypeInfo[] | undefined,
): ComponentType<PluginCellProps> | undefined {
  const cell = types?.find((t) => t.type === field.type)?.cell;
  return cell ? (pluginCells()[cell] as ComponentType<PluginCellProps> | undefined) : undefined;
}

/**
 * The plugin cell for values a form shows with `widget` (the field type whose widget it is): what the
 * record page's read-only view renders them with, as the list does.
 */
export function pluginCellByWidget(
  types: FieldTypeInfo[] | undefined,
): (widget: string) => ComponentType<PluginCellProps> | undefined {
  return (widget) => {
    const cell = types?.find((t) => t.widget === widget && t.cell)?.cell;
    return cell ? (pluginCells()[cell] as ComponentType<PluginCellProps> | undefined) : undefined;
  };
}

export interface SelectOption {
  value: string;
  label: LabelMap;
  color?: string;
}

export function optionsOf(field: FieldDefinition | undefined): SelectOption[] {
  return Array.isArray(field?.options) ? (field.options as SelectOption[]) : [];
}

export function fieldByName(definition: ModuleDefinition, name: string): FieldDefinition | undefined {
  return definition.fields.find((f) => f.name === name);
}

/** A value as text in a cell or card (relations by the titles in `titles`). */
export function displayValue(
  field: FieldDefinition,
  value: unknown,
  format: Formatters,
  localize: (label: LabelMap | undefined, fallback?: string) => string,
  titles?: ReadonlyMap<string, string>,
  yesNo: [string, string] = ['Yes', 'No'],
): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'money':
      return format.money(value as { amount: number; currency: string });
    case 'integer':
    case 'decimal':
      return format.number(value as number);
    case 'percent':
      return `${format.number(value as number)}%`;
    case 'date':
      return format.date(String(value));
    case 'datetime':
      return format.dateTime(String(value));
    case 'boolean':
      return value ? yesNo[0] : yesNo[1];
    case 'select': {
      const option = optionsOf(field).find((o) => o.value === value);
      return option ? localize(option.label, String(value)) : String(value);
    }
    case 'multiSelect':
      return (Array.isArray(value) ? value : [value])
        .map((v) => localize(optionsOf(field).find((o) => o.value === v)?.label, String(v)))
        .join(', ');
    case 'relation':
    case 'relations':
    case 'user':
    case 'department':
      return (Array.isArray(value) ? value : [value])
        .map((id) => titles?.get(String(id)) ?? String(id))
        .join(', ');
    case 'formula':
      if (field.resultType === 'date') return format.date(String(value));
      if (field.resultType === 'datetime') return format.dateTime(String(value));
      if (typeof value === 'number' || field.resultType === 'decimal') return format.number(value as number);
      return String(value);
    default:
      if (typeof value === 'object') {
        const named = value as { name?: unknown; title?: unknown };
        return String(named.name ?? named.title ?? JSON.stringify(value));
      }
      return String(value);
  }
}
