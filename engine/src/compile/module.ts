import type { Ajv, ValidateFunction } from 'ajv';
import type { FieldDefinition, ModuleDefinition, RuleDefinition } from '../definitions/types.ts';
import { EngineError, type Problem, pointerOf } from '../errors.ts';
import { type CompiledFeel, compileFeel, FeelCompileError, type ResultType } from '../expressions/index.ts';
import { formulaResultType } from '../fields/formula.ts';
import type { FieldType, FieldTypeRegistry, JsonSchema } from '../fields/registry.ts';
import { linkTableName } from '../storage/naming.ts';
import {
  CONDITION_KEYS,
  type ConditionState,
  compileConditions,
  type FormConditions,
  formConditionsOf,
} from './conditions.ts';
import { recordJsonSchema } from './json-schema.ts';
import { feelScopeOf } from './scope.ts';
import { type CompiledSubtable, clockFormulas, compileSubtable, formulasAfter } from './subtable.ts';
import { recordUiSchema } from './ui-schema.ts';

export interface CompiledField {
  definition: FieldDefinition;
  type: FieldType;
  name: string;
  /** Full column names in the table, in the type's `columns()` order. */
  columns: string[];
  sqlTypes: string[];
  computed: boolean;
  /** For many-relation fields: the join table (unqualified) that holds the field's links. */
  linkTable?: string;
  /** A validated non-null value as it will read back once stored (see `FieldType.normalize`). */
  normalize(value: unknown): unknown;
  toColumns(value: unknown): unknown[];
  fromColumns(raw: unknown[]): unknown;
}

export interface CompiledFormula {
  field: CompiledField;
  expression: CompiledFeel;
  result: ResultType;
}

export interface CompiledRule {
  rule: RuleDefinition;
  expression: CompiledFeel;
  when?: CompiledFeel;
}

/** Everything the runtime needs of one published module version, built once and cached. */
export interface CompiledModule {
  id: string;
  name: string;
  version: number;
  definition: ModuleDefinition;
  fields: CompiledField[];
  byName: ReadonlyMap<string, CompiledField>;
  /** Validates user-writable values (computed fields removed, empty values absent). */
  validateValues: ValidateFunction;
  /** Formulas in dependency order. */
  formulas: CompiledFormula[];
  defaults: { field: CompiledField; expression: CompiledFeel }[];
  rules: CompiledRule[];
  /** Sub-table fields with their rows' compiled fields, formulas and rules. */
  subtables: CompiledSubtable[];
  /** Rollup fields (kept current by rollups/maintain.ts). */
  rollups: CompiledField[];
  /** Formulas reading rollups (directly or through other formulas): computed again after them. */
  afterRollups: CompiledFormula[];
  /** Formulas reading today() or now() (directly or through other formulas): refreshed as time passes. */
  clockFormulas: CompiledFormula[];
  /** Decides the fields' visibleWhen/requiredWhen/readOnlyWhen for a record's values, when any has one. */
  conditions?: (values: Record<string, unknown>) => ConditionState;
  jsonSchema(locale: string): JsonSchema;
  uiSchema(locale: string): JsonSchema;
}

export function compileField(
  definition: FieldDefinition,
  moduleId: string,
  registry: FieldTypeRegistry,
): CompiledField {
  const type = registry.require(definition.type);
  const specs = type.columns(definition);
  return {
    definition,
    type,
    name: definition.name,
    columns: specs.map((c) => definition.name + c.suffix),
    sqlTypes: specs.map((c) => c.sqlType),
    computed: type.computed === true,
    ...(type.linkTable ? { linkTable: linkTableName(moduleId, definition.id) } : {}),
    normalize: (value) => (type.normalize ? type.normalize(definition, value) : value),
    toColumns: (value) => (type.toColumns ? type.toColumns(definition, value) : [value]),
    fromColumns: (raw) => (type.fromColumns ? type.fromColumns(definition, raw) : (raw[0] ?? null)),
  };
}

export function compileExpression(
  source: string,
  scope: ReturnType<typeof feelScopeOf>,
  pointer: string,
): CompiledFeel {
  try {
    return compileFeel(source, scope);
  } catch (error) {
    if (error instanceof FeelCompileError) {
      throw new EngineError(
        'invalid-definition',
        `invalid expression at ${pointer}`,
        error.problems.map((p) => ({ pointer, code: 'expression', message: p.message })),
      );
    }
    throw error;
  }
}

/** Orders formulas so each one runs after the formulas it reads; a cycle is a definition error. */
export function orderFormulas(
  formulas: CompiledFormula[],
  module: Pick<ModuleDefinition, 'fields'>,
  pointer: (index: number) => string = (index) => pointerOf('fields', index, 'expression'),
): CompiledFormula[] {
  const byName = new Map(formulas.map((f) => [f.field.name, f]));
  const ordered: CompiledFormula[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (formula: CompiledFormula, path: string[]) => {
    const name = formula.field.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const index = module.fields.findIndex((f) => f.name === name);
      throw new EngineError('invalid-definition', 'formulas refer to each other in a cycle', [
        {
          pointer: pointer(index),
          code: 'cycle',
          message: `formula cycle: ${[...path, name].join(' → ')}`,
        },
      ]);
    }
    state.set(name, 'visiting');
    for (const ref of formula.expression.references) {
      const dependency = byName.get(ref);
      if (dependency) visit(dependency, [...path, name]);
    }
    state.set(name, 'done');
    ordered.push(formula);
  };
  for (const formula of formulas) visit(formula, []);
  return ordered;
}

export function compileModule(
  definition: ModuleDefinition,
  version: number,
  registry: FieldTypeRegistry,
  ajv: Ajv,
): CompiledModule {
  const fields = definition.fields.map((f) => compileField(f, definition.id, registry));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const scope = feelScopeOf(definition, registry);

  const writable = recordJsonSchema(definition, registry, 'en');
  const properties = writable.properties as Record<string, JsonSchema>;
  for (const field of fields) if (field.computed) delete properties[field.name];
  const validateValues = ajv.compile(writable);

  const formulas = orderFormulas(
    fields
      .filter((f) => f.computed && typeof f.definition.expression === 'string')
      .map((field) => {
        const ownScope = { variables: { ...scope.variables } };
        delete ownScope.variables[field.name];
        const index = definition.fields.indexOf(field.definition);
        return {
          field,
          expression: compileExpression(
            String(field.definition.expression),
            ownScope,
            pointerOf('fields', index, 'expression'),
          ),
          result: formulaResultType(field.definition),
        };
      }),
    definition,
  );

  const defaults = fields
    .filter((f) => typeof f.definition.defaultValue === 'string')
    .map((field) => ({
      field,
      expression: compileExpression(
        String(field.definition.defaultValue),
        scope,
        pointerOf('fields', definition.fields.indexOf(field.definition), 'defaultValue'),
      ),
    }));

  const rules = (definition.rules ?? []).map((rule, i) => ({
    rule,
    expression: compileExpression(rule.expression, scope, pointerOf('rules', i, 'expression')),
    ...(rule.when ? { when: compileExpression(rule.when, scope, pointerOf('rules', i, 'when')) } : {}),
  }));

  const subtables = fields
    .filter((f) => f.definition.type === 'subtable')
    .map((f) => compileSubtable(f, definition, registry));
  const rollups = fields.filter((f) => f.definition.type === 'rollup');

  const conditionSources = formConditionsOf(
    definition,
    scope,
    (field) => registry.require(field.type).computed === true,
  );
  const schemas = new Map<string, JsonSchema>();
  const uiSchemas = new Map<string, JsonSchema>();
  return {
    id: definition.id,
    name: definition.name,
    version,
    definition,
    fields,
    byName,
    validateValues,
    formulas,
    defaults,
    rules,
    subtables,
    rollups,
    afterRollups: formulasAfter(rollups, formulas),
    clockFormulas: clockFormulas(formulas),
    ...(conditionSources ? { conditions: compileConditionsAt(conditionSources, definition) } : {}),
    jsonSchema: (locale) => memo(schemas, locale, () => recordJsonSchema(definition, registry, locale)),
    uiSchema: (locale) => memo(uiSchemas, locale, () => recordUiSchema(definition, registry, locale)),
  };
}

function compileConditionsAt(
  sources: FormConditions,
  definition: ModuleDefinition,
): (values: Record<string, unknown>) => ConditionState {
  try {
    return compileConditions(sources);
  } catch (error) {
    if (!(error instanceof FeelCompileError)) throw error;
    const index = definition.fields.findIndex((f) => CONDITION_KEYS.some((key) => f[key] === error.source));
    const key = CONDITION_KEYS.find((k) => definition.fields[index]?.[k] === error.source) ?? 'visibleWhen';
    throw new EngineError(
      'invalid-definition',
      'invalid field condition',
      error.problems.map((p) => ({
        pointer: pointerOf('fields', index, key),
        code: 'expression',
        message: p.message,
      })),
    );
  }
}

function memo<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

export type { CompiledSubtable, Problem };
