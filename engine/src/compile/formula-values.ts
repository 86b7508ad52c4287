/**
 * Formula values from record values: the one computation the server stores on save and the record
 * form shows as the user types (compile/live-formulas.ts). Browser-safe.
 */
import { fromFeelValue } from '../expressions/index.ts';
import type { CompiledField, CompiledFormula } from './module.ts';

type Values = Record<string, unknown>;

/** What the computation needs of a compiled module: its fields' types, sub-tables and formulas. */
export interface FormulaModule {
  fields: readonly CompiledField[];
  subtables: readonly FormulaRows[];
  formulas: readonly CompiledFormula[];
}

/** What it needs of a compiled sub-table. */
export interface FormulaRows {
  name: string;
  fields: readonly CompiledField[];
  formulas: readonly CompiledFormula[];
}

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A row's values as FEEL sees them: money as its amount. */
export function rowFeelInput(sub: Pick<FormulaRows, 'fields'>, row: Values): Values {
  const input: Values = { ...row };
  for (const field of sub.fields) {
    const value = row[field.name];
    if (field.definition.type === 'money' && isPlainObject(value)) input[field.name] = value.amount;
  }
  return input;
}

/** Record values as FEEL sees them: money (and money rollups) as its amount, rows likewise. */
export function feelInput(module: Pick<FormulaModule, 'fields' | 'subtables'>, values: Values): Values {
  const input: Values = { ...values };
  for (const field of module.fields) {
    const value = values[field.name];
    const type = field.definition.type;
    if ((type === 'money' || type === 'rollup') && isPlainObject(value)) input[field.name] = value.amount;
  }
  for (const sub of module.subtables) {
    const rows = values[sub.name];
    if (Array.isArray(rows)) input[sub.name] = rows.map((row) => rowFeelInput(sub, row));
  }
  return input;
}

/** One formula's value: FEEL's result as the result type (decimals rounded to the field's scale), or null. */
export function formulaValue(formula: CompiledFormula, input: Values, at?: Date): unknown {
  return fromFeelValue(formula.expression.evaluate(input, at).value, formula.result) ?? null;
}

/** A row's formulas, in their order, into the row; an empty result leaves the field absent. */
export function computeRowFormulas(sub: FormulaRows, row: Values): void {
  for (const formula of sub.formulas) {
    const value = formulaValue(formula, rowFeelInput(sub, row));
    if (value !== null) row[formula.field.name] = value;
  }
}

/**
 * The record's formulas, in their order, into `values` (rows already computed); `system` holds what
 * the expressions may read besides the fields (system fields, rollups). An empty result removes the field.
 */
export function computeFormulas(
  module: FormulaModule,
  values: Values,
  system: Values = {},
  at?: Date,
  formulas: readonly CompiledFormula[] = module.formulas,
): void {
  for (const formula of formulas) {
    const value = formulaValue(formula, feelInput(module, { ...system, ...values }), at);
    if (value === null) delete values[formula.field.name];
    else values[formula.field.name] = value;
  }
}
