import { rowScope } from '../definitions/check-subtable.ts';
import type { ModuleDefinition } from '../definitions/types.ts';
import { pointerOf } from '../errors.ts';
import type { CompiledFeel } from '../expressions/index.ts';
import { formulaResultType } from '../fields/formula.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { subtableSettings } from '../fields/subtable.ts';
import { subtableName, subtableOwnerId } from '../storage/naming.ts';
import {
  type CompiledField,
  type CompiledFormula,
  type CompiledRule,
  compileExpression,
  compileField,
  orderFormulas,
} from './module.ts';

/** A sub-table field and what its rows need at run time. */
export interface CompiledSubtable {
  field: CompiledField;
  name: string;
  /** The child table, in the workspace schema. */
  table: string;
  /** The owner id child field constraints hang on. */
  ownerId: string;
  fields: CompiledField[];
  byName: ReadonlyMap<string, CompiledField>;
  /** Row formulas in dependency order. */
  formulas: CompiledFormula[];
  defaults: { field: CompiledField; expression: CompiledFeel }[];
  rules: CompiledRule[];
  minRows: number;
}

export function compileSubtable(
  field: CompiledField,
  module: ModuleDefinition,
  registry: FieldTypeRegistry,
): CompiledSubtable {
  const settings = subtableSettings(field.definition);
  const index = module.fields.indexOf(field.definition);
  const at = (...rest: (string | number)[]) => pointerOf('fields', index, ...rest);
  const fields = settings.fields.map((f) => compileField(f, module.id, registry));
  const scope = rowScope(field.definition, registry);
  const formulas = orderFormulas(
    fields
      .filter((f) => f.computed && typeof f.definition.expression === 'string')
      .map((child) => {
        const own = { variables: { ...scope.variables } };
        delete own.variables[child.name];
        const j = settings.fields.indexOf(child.definition);
        return {
          field: child,
          expression: compileExpression(
            String(child.definition.expression),
            own,
            at('fields', j, 'expression'),
          ),
          result: formulaResultType(child.definition),
        };
      }),
    settings,
    (j) => at('fields', j, 'expression'),
  );
  const defaults = fields
    .filter((f) => typeof f.definition.defaultValue === 'string')
    .map((child) => ({
      field: child,
      expression: compileExpression(
        String(child.definition.defaultValue),
        scope,
        at('fields', settings.fields.indexOf(child.definition), 'defaultValue'),
      ),
    }));
  const rules = (settings.rules ?? []).map((rule, i) => ({
    rule,
    expression: compileExpression(rule.expression, scope, at('rules', i, 'expression')),
    ...(rule.when ? { when: compileExpression(rule.when, scope, at('rules', i, 'when')) } : {}),
  }));
  return {
    field,
    name: field.name,
    table: subtableName(module.id, field.definition.id),
    ownerId: subtableOwnerId(module.id, field.definition.id),
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    formulas,
    defaults,
    rules,
    minRows: settings.minRows ?? 0,
  };
}

/** The formulas (in their order) that read a rollup, directly or through another such formula. */
export function formulasAfter(rollups: CompiledField[], formulas: CompiledFormula[]): CompiledFormula[] {
  const derived = new Set(rollups.map((r) => r.name));
  const after: CompiledFormula[] = [];
  for (const formula of formulas) {
    if (formula.expression.references.some((r) => derived.has(r))) {
      derived.add(formula.field.name);
      after.push(formula);
    }
  }
  return after;
}

/** The formulas (in order) that read today() or now(), directly or through other formulas. */
export function clockFormulas(formulas: CompiledFormula[]): CompiledFormula[] {
  const derived = new Set<string>();
  const reading: CompiledFormula[] = [];
  for (const formula of formulas) {
    if (formula.expression.readsClock || formula.expression.references.some((r) => derived.has(r))) {
      derived.add(formula.field.name);
      reading.push(formula);
    }
  }
  return reading;
}
