/**
 * Field conditions written in FEEL: `visibleWhen`, `requiredWhen`, `readOnlyWhen`. The same code
 * decides them in the browser (live, as the user types) and on the server (on save), from the
 * serializable form the uiSchema carries under `ui:conditions`. Browser-safe.
 */
import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import { compileFeel } from '../expressions/compile.ts';
import type { FeelScope } from '../expressions/types.ts';

export const CONDITION_KEYS = ['visibleWhen', 'requiredWhen', 'readOnlyWhen'] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

/** One field's conditions as sources; `required` is the field's static setting. */
export interface FieldConditions {
  visibleWhen?: string;
  requiredWhen?: string;
  readOnlyWhen?: string;
  required?: boolean;
}

/** What the browser needs to decide conditions: the FEEL scope and each conditional field's sources. */
export interface FormConditions {
  scope: FeelScope['variables'];
  fields: Record<string, FieldConditions>;
}

/** The outcome for one set of values: field names hidden, required and read-only right now. */
export interface ConditionState {
  hidden: string[];
  required: string[];
  readOnly: string[];
}

/** Whether a field's static `required` is decided by its conditions instead of the JSON Schema. */
export function hasConditions(field: FieldDefinition): boolean {
  return CONDITION_KEYS.some((key) => typeof field[key] === 'string');
}

/** The module's conditions in the serializable form, or undefined when no field has any. */
export function formConditionsOf(
  module: ModuleDefinition,
  scope: FeelScope,
  computed: (field: FieldDefinition) => boolean,
): FormConditions | undefined {
  const fields: Record<string, FieldConditions> = {};
  for (const field of module.fields) {
    if (!hasConditions(field)) continue;
    const entry: FieldConditions = {};
    for (const key of CONDITION_KEYS) {
      const source = field[key];
      if (typeof source === 'string') entry[key] = source;
    }
    if (field.required && !computed(field)) entry.required = true;
    fields[field.name] = entry;
  }
  return Object.keys(fields).length > 0 ? { scope: scope.variables, fields } : undefined;
}

/**
 * Compiles the conditions once; the returned function decides them for a record's values. A
 * field is visible only while its `visibleWhen` is true; it is required while visible and either
 * `required` or its `requiredWhen` is true; read-only while its `readOnlyWhen` is true.
 * @throws FeelCompileError when an expression does not compile against the scope
 */
export function compileConditions(
  conditions: FormConditions,
): (values: Record<string, unknown>) => ConditionState {
  const scope: FeelScope = { variables: conditions.scope };
  const compiled = Object.entries(conditions.fields).map(([name, entry]) => ({
    name,
    required: entry.required === true,
    visibleWhen: entry.visibleWhen === undefined ? undefined : compileFeel(entry.visibleWhen, scope),
    requiredWhen: entry.requiredWhen === undefined ? undefined : compileFeel(entry.requiredWhen, scope),
    readOnlyWhen: entry.readOnlyWhen === undefined ? undefined : compileFeel(entry.readOnlyWhen, scope),
  }));
  return (values) => {
    const input = conditionInput(values);
    const state: ConditionState = { hidden: [], required: [], readOnly: [] };
    for (const field of compiled) {
      const holds = (expression: typeof field.visibleWhen) => expression?.evaluate(input).value === true;
      const visible = field.visibleWhen === undefined || holds(field.visibleWhen);
      if (!visible) state.hidden.push(field.name);
      else if (field.required || holds(field.requiredWhen)) state.required.push(field.name);
      if (holds(field.readOnlyWhen)) state.readOnly.push(field.name);
    }
    return state;
  };
}

/** Values as FEEL sees them in conditions: money (at the top or in rows) as its amount. */
function conditionInput(values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    input[name] = Array.isArray(value) ? value.map((item) => amountsOf(item)) : asAmount(value);
  }
  return input;
}

function amountsOf(item: unknown): unknown {
  if (!isPlainObject(item)) return item;
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, asAmount(value)]));
}

function asAmount(value: unknown): unknown {
  return isPlainObject(value) && typeof value.amount === 'number' ? value.amount : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
