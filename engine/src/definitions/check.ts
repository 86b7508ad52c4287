import type { ValidateFunction } from 'ajv';
import { createAjv, problemsFromAjv } from '../compile/ajv.ts';
import { CONDITION_KEYS } from '../compile/conditions.ts';
import { feelScopeOf } from '../compile/scope.ts';
import { type Problem, pointerOf } from '../errors.ts';
import { checkFeel, isReservedFeelName } from '../expressions/index.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { checkRollup, rollupCycle } from '../rollups/check.ts';
import { checkPool } from './check-pool.ts';
import { checkRows, rowFieldShapes } from './check-subtable.ts';
import { checkFetchFrom } from './fetch-from.ts';
import { checkListView } from './list-view.ts';
import { fieldMetaSchema, moduleMetaSchema } from './meta-schema.ts';
import { RESERVED_NAMES } from './names.ts';
import type { ModuleDefinition } from './types.ts';

/** Checks definitions against the meta-schemas and against each other; one instance per registry. */
export class DefinitionChecker {
  readonly #ajv = createAjv();
  #moduleValidator?: ValidateFunction;
  readonly #fieldValidators = new Map<string, ValidateFunction>();

  constructor(private readonly registry: FieldTypeRegistry) {}

  /** Structure only: what a draft must satisfy to be saved. */
  shape(definition: unknown): Problem[] {
    this.#moduleValidator ??= this.#ajv.compile(moduleMetaSchema(this.registry.all().map((t) => t.type)));
    if (!this.#moduleValidator(definition)) return problemsFromAjv(this.#moduleValidator.errors);
    const module = definition as ModuleDefinition;
    return module.fields.flatMap((field, i) => {
      const validate = this.#fieldValidator(field.type);
      if (!validate(field)) return problemsFromAjv(validate.errors, pointerOf('fields', i));
      return field.type === 'subtable'
        ? rowFieldShapes(field, i, this.registry, (type) => this.#fieldValidator(type))
        : [];
    });
  }

  /**
   * Everything a publish needs: shape, unique names and ids, references between fields, layout,
   * rules and modules, expressions checked against the fields. `modules` holds every module
   * that will exist after the publish (the checked one included), by id.
   */
  full(definition: ModuleDefinition, modules: ReadonlyMap<string, ModuleDefinition>): Problem[] {
    const problems = this.shape(definition);
    if (problems.length > 0) return problems;
    const problem = (pointer: string, message: string, code = 'definition') =>
      problems.push({ pointer, code, message });

    const names = new Map<string, number>();
    const ids = new Set<string>();
    definition.fields.forEach((field, i) => {
      if (RESERVED_NAMES.has(field.name)) {
        problem(pointerOf('fields', i, 'name'), `'${field.name}' is reserved`);
      } else if (isReservedFeelName(field.name)) {
        problem(pointerOf('fields', i, 'name'), `'${field.name}' is a word of the expression language`);
      }
      if (names.has(field.name))
        problem(pointerOf('fields', i, 'name'), `duplicate field name '${field.name}'`);
      if (ids.has(field.id)) problem(pointerOf('fields', i, 'id'), `duplicate field id '${field.id}'`);
      names.set(field.name, i);
      ids.add(field.id);
      const type = this.registry.require(field.type);
      if ((field.unique || field.indexed) && !type.sortable) {
        problem(
          pointerOf('fields', i, field.unique ? 'unique' : 'indexed'),
          `a ${field.type} field cannot be indexed`,
        );
      }
      if (field.searchable === true && !type.search) {
        problem(pointerOf('fields', i, 'searchable'), `a ${field.type} field cannot be searched by keyword`);
      }
    });
    if (problems.length > 0) return problems;

    const feelScope = feelScopeOf(definition, this.registry);
    definition.fields.forEach((field, i) => {
      const type = this.registry.require(field.type);
      for (const p of type.check?.(field, { module: definition, modules, feelScope }) ?? []) {
        problem(pointerOf('fields', i) + p.pointer, p.message);
      }
      if (field.type === 'subtable') {
        problems.push(...checkRows(field, i, this.registry, { module: definition, modules }));
      }
      if (field.type === 'rollup') {
        const found = checkRollup(field, definition, modules);
        for (const p of found) problem(pointerOf('fields', i) + p.pointer, p.message);
        const cycle = found.length === 0 ? rollupCycle(field, definition, modules, this.registry) : undefined;
        if (cycle)
          problem(
            pointerOf('fields', i, 'over'),
            `rollups and formulas refer to each other in a cycle: ${cycle.join(' → ')}`,
            'cycle',
          );
      }
      for (const key of CONDITION_KEYS) {
        const source = field[key];
        if (typeof source !== 'string') continue;
        if (key !== 'visibleWhen' && type.computed) {
          problem(pointerOf('fields', i, key), `a computed field is never entered, so it has no ${key}`);
        }
        for (const p of checkFeel(source, feelScope)) {
          problem(pointerOf('fields', i, key), `${p.message} (at ${p.from}-${p.to})`, 'expression');
        }
      }
      problems.push(...checkFetchFrom(field, pointerOf('fields', i), definition.fields, modules));
      if (field.defaultValue !== undefined) {
        if (type.computed) problem(pointerOf('fields', i, 'defaultValue'), 'a computed field has no default');
        for (const p of checkFeel(String(field.defaultValue), feelScope)) {
          problem(
            pointerOf('fields', i, 'defaultValue'),
            `${p.message} (at ${p.from}-${p.to})`,
            'expression',
          );
        }
      }
    });

    if (definition.titleField !== undefined && !names.has(definition.titleField)) {
      problem('/titleField', `no field named '${definition.titleField}'`);
    }
    problems.push(...checkPool(definition));

    const ruleIds = new Set<string>();
    definition.rules?.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) problem(pointerOf('rules', i, 'id'), `duplicate rule id '${rule.id}'`);
      ruleIds.add(rule.id);
      for (const key of ['expression', 'when'] as const) {
        const source = rule[key];
        if (source === undefined) continue;
        for (const p of checkFeel(source, feelScope)) {
          problem(pointerOf('rules', i, key), `${p.message} (at ${p.from}-${p.to})`, 'expression');
        }
      }
      rule.fields?.forEach((name, j) => {
        if (!names.has(name)) problem(pointerOf('rules', i, 'fields', j), `no field named '${name}'`);
      });
    });

    const placed = new Set<string>();
    const sectionIds = new Set<string>();
    definition.layout?.sections.forEach((section, i) => {
      if (sectionIds.has(section.id))
        problem(pointerOf('layout', 'sections', i, 'id'), `duplicate section '${section.id}'`);
      sectionIds.add(section.id);
      section.fields.forEach((name, j) => {
        const at = pointerOf('layout', 'sections', i, 'fields', j);
        if (!names.has(name)) problem(at, `no field named '${name}'`);
        else if (placed.has(name)) problem(at, `field '${name}' is placed twice`);
        placed.add(name);
      });
    });

    for (const p of checkListView(definition, this.registry)) problems.push({ ...p, code: 'definition' });

    for (const other of modules.values()) {
      if (other.id !== definition.id && other.name === definition.name) {
        problem('/name', `another module is already named '${definition.name}'`);
      }
    }
    return problems;
  }

  #fieldValidator(type: string): ValidateFunction {
    let validate = this.#fieldValidators.get(type);
    if (!validate) {
      validate = this.#ajv.compile(fieldMetaSchema(this.registry.require(type)));
      this.#fieldValidators.set(type, validate);
    }
    return validate;
  }
}
