/**
 * Formulas the record form computes as the user types, with the server's own code: the uiSchema
 * carries the definitions they need under `ui:formulas` (the entered fields, the formulas, the
 * sub-tables with their row fields), the browser compiles them with the same compiler and computes
 * them with compile/formula-values.ts, as the server does on save. A formula that needs the database
 * (a rollup, an autonumber, a system field, a field the user may not read, directly or through
 * another formula) is left out and keeps its saved value. Browser-safe.
 */
import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import { FeelCompileError } from '../expressions/errors.ts';
import { compileFeel, type FeelScope } from '../expressions/index.ts';
import { formulaResultType } from '../fields/formula.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { subtableSettings } from '../fields/subtable.ts';
import { computeFormulas, computeRowFormulas, type FormulaModule } from './formula-values.ts';
import { compileExpression, compileField, orderFormulas } from './module.ts';

/** What the form needs to compute formulas: field definitions as published, pared to what computing reads. */
export interface FormFormulas {
  fields: FieldDefinition[];
}

type Values = Record<string, unknown>;

/** Settings that play no part in computing a value. */
const NOT_NEEDED = [
  'label',
  'help',
  'placeholder',
  'defaultValue',
  'visibleWhen',
  'requiredWhen',
  'readOnlyWhen',
  'fetchFrom',
  'inverse',
  'options',
  'rules',
];

function pared(field: FieldDefinition, rows: FieldDefinition[] | undefined): FieldDefinition {
  const copy: FieldDefinition = { ...field };
  for (const key of NOT_NEEDED) delete copy[key];
  if (rows) copy.fields = rows;
  return copy;
}

/** Entered fields and formulas: what a form has the values of. */
function formKnows(field: FieldDefinition, registry: FieldTypeRegistry): boolean {
  const type = registry.get(field.type);
  return type !== undefined && (type.computed !== true || field.type === 'formula');
}

function isFormula(field: FieldDefinition): boolean {
  return field.type === 'formula' && typeof field.expression === 'string';
}

/** The module's `ui:formulas`, or undefined when it has no formulas (in its rows neither). */
export function formFormulasOf(
  module: ModuleDefinition,
  registry: FieldTypeRegistry,
): FormFormulas | undefined {
  let any = false;
  const fields: FieldDefinition[] = [];
  for (const field of module.fields) {
    if (field.type === 'subtable') {
      const rows = subtableSettings(field).fields.filter((row) => formKnows(row, registry));
      any ||= rows.some(isFormula);
      fields.push(
        pared(
          field,
          rows.map((row) => pared(row, undefined)),
        ),
      );
    } else if (formKnows(field, registry)) {
      any ||= isFormula(field);
      fields.push(pared(field, undefined));
    }
  }
  return any ? { fields } : undefined;
}

/**
 * The formulas among `fields` whose expressions compile over the other fields alone (no system
 * field, no rollup), repeated until none drops out: a formula reading a dropped one drops too.
 */
function computable(fields: FieldDefinition[], registry: FieldTypeRegistry): FieldDefinition[] {
  let kept = fields.filter((f) => registry.get(f.type) !== undefined);
  for (;;) {
    const scope: FeelScope = { variables: {} };
    for (const field of kept) scope.variables[field.name] = registry.require(field.type).feelType(field);
    const next = kept.filter((field) => {
      if (!isFormula(field)) return true;
      const own: FeelScope = { variables: { ...scope.variables } };
      delete own.variables[field.name];
      try {
        compileFeel(String(field.expression), own);
        return true;
      } catch (error) {
        if (error instanceof FeelCompileError) return false;
        throw error;
      }
    });
    if (next.length === kept.length) return kept;
    kept = next;
  }
}

function compileFormulasOf(fields: FieldDefinition[], moduleId: string, registry: FieldTypeRegistry) {
  const compiled = fields.map((f) => compileField(f, moduleId, registry));
  const scope: FeelScope = { variables: {} };
  for (const field of compiled) scope.variables[field.name] = field.type.feelType(field.definition);
  return {
    fields: compiled,
    formulas: orderFormulas(
      compiled
        .filter((f) => isFormula(f.definition))
        .map((field) => {
          const own: FeelScope = { variables: { ...scope.variables } };
          delete own.variables[field.name];
          return {
            field,
            expression: compileExpression(String(field.definition.expression), own, `/${field.name}`),
            result: formulaResultType(field.definition),
          };
        }),
      { fields },
    ),
  };
}

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entered values of `fields` as the server stores them: empty ones absent, the rest normalized. */
function entered(fields: FormulaModule['fields'], values: Values): Values {
  const out: Values = Object.create(null);
  for (const field of fields) {
    const value = values[field.name];
    if (field.computed || field.definition.type === 'subtable' || isEmpty(value)) continue;
    // a money field being typed may lack its amount yet: it counts as empty, as it would not save
    if (field.definition.type === 'money' && !(isPlainObject(value) && typeof value.amount === 'number'))
      continue;
    out[field.name] = field.normalize(value);
  }
  return out;
}

/**
 * Compiles `ui:formulas` once; the returned function gives the values with every computable formula
 * (row formulas included) as the server would store it for them, and the names it computed.
 */
export function compileFormFormulas(
  source: FormFormulas,
  registry: FieldTypeRegistry,
): { names: ReadonlySet<string>; compute: (values: Values, at?: Date) => Values } {
  const top = computable(source.fields, registry);
  const subtables = source.fields
    .filter((f) => f.type === 'subtable')
    .map((field) => ({
      name: field.name,
      ...compileFormulasOf(computable(subtableSettings(field).fields, registry), field.id, registry),
    }));
  const module: FormulaModule = { ...compileFormulasOf(top, 'form', registry), subtables };
  const names = new Set([
    ...module.formulas.map((f) => f.field.name),
    ...subtables.flatMap((s) => s.formulas.map((f) => `${s.name}/${f.field.name}`)),
  ]);
  const compute = (values: Values, at?: Date): Values => {
    const input = entered(module.fields, values);
    const result: Values = { ...values };
    for (const sub of subtables) {
      const rows = values[sub.name];
      if (!Array.isArray(rows)) continue;
      const computed = rows.map((row) => {
        const stored = entered(sub.fields, isPlainObject(row) ? row : {});
        computeRowFormulas(sub, stored);
        return stored;
      });
      if (computed.length > 0) input[sub.name] = computed;
      result[sub.name] = rows.map((row, i) => {
        const next: Values = { ...(isPlainObject(row) ? row : {}) };
        for (const { field } of sub.formulas) next[field.name] = computed[i][field.name];
        return next;
      });
    }
    computeFormulas(module, input, {}, at);
    for (const { field } of module.formulas) result[field.name] = input[field.name];
    return result;
  };
  return { names, compute };
}
