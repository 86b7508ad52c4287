import type { ValidateFunction } from 'ajv';
import { problemsFromAjv } from '../compile/ajv.ts';
import { CONDITION_KEYS } from '../compile/conditions.ts';
import { type Problem, pointerOf } from '../errors.ts';
import { checkFeel, type FeelScope, isReservedFeelName } from '../expressions/index.ts';
import type { FieldCheckContext, FieldTypeRegistry } from '../fields/registry.ts';
import { NOT_IN_ROWS, ROW_SYSTEM_COLUMNS, subtableSettings } from '../fields/subtable.ts';
import { checkFetchFrom } from './fetch-from.ts';
import { RESERVED_NAMES } from './names.ts';
import type { FieldDefinition } from './types.ts';

/** The variables a row's formulas, defaults and rules may read: the row's fields and its id. */
export function rowScope(field: FieldDefinition, registry: FieldTypeRegistry): FeelScope {
  const variables: FeelScope['variables'] = { id: 'string' };
  for (const child of subtableSettings(field).fields) {
    const type = registry.get(child.type);
    if (type) variables[child.name] = type.feelType(child);
  }
  return { variables };
}

/** Shape of the row fields of sub-table field number `index`: each against its own type's meta-schema. */
export function rowFieldShapes(
  field: FieldDefinition,
  index: number,
  registry: FieldTypeRegistry,
  validatorOf: (type: string) => ValidateFunction,
): Problem[] {
  return subtableSettings(field).fields.flatMap((child, j) => {
    const at = pointerOf('fields', index, 'fields', j);
    if (NOT_IN_ROWS.has(child.type) || !registry.get(child.type)) {
      const why = NOT_IN_ROWS.has(child.type)
        ? 'cannot be used inside sub-table rows'
        : 'is not a field type';
      return [{ pointer: `${at}/type`, code: 'enum', message: `'${child.type}' ${why}` }];
    }
    const validate = validatorOf(child.type);
    return validate(child) ? [] : problemsFromAjv(validate.errors, at);
  });
}

/** Names, ids, settings, expressions and rules of the rows of sub-table field number `index`. */
export function checkRows(
  field: FieldDefinition,
  index: number,
  registry: FieldTypeRegistry,
  ctx: Omit<FieldCheckContext, 'feelScope'>,
): Problem[] {
  const problems: Problem[] = [];
  const problem = (pointer: string, message: string, code = 'definition') =>
    problems.push({ pointer, code, message });
  const settings = subtableSettings(field);
  const names = new Set<string>();
  const ids = new Set<string>();
  const scope = rowScope(field, registry);
  settings.fields.forEach((child, j) => {
    const at = (...rest: (string | number)[]) => pointerOf('fields', index, 'fields', j, ...rest);
    if ((ROW_SYSTEM_COLUMNS as readonly string[]).includes(child.name) || RESERVED_NAMES.has(child.name)) {
      problem(at('name'), `'${child.name}' is reserved`);
    } else if (isReservedFeelName(child.name)) {
      problem(at('name'), `'${child.name}' is a word of the expression language`);
    }
    if (names.has(child.name)) problem(at('name'), `duplicate field name '${child.name}'`);
    if (ids.has(child.id)) problem(at('id'), `duplicate field id '${child.id}'`);
    names.add(child.name);
    ids.add(child.id);
    const type = registry.require(child.type);
    if ((child.unique || child.indexed) && !type.sortable) {
      problem(at(child.unique ? 'unique' : 'indexed'), `a ${child.type} field cannot be indexed`);
    }
    for (const key of CONDITION_KEYS) {
      if (child[key] !== undefined)
        problem(at(key), `${key} applies to the module's fields, not to row fields`);
    }
    for (const p of type.check?.(child, { ...ctx, feelScope: scope }) ?? [])
      problem(at() + p.pointer, p.message);
    problems.push(...checkFetchFrom(child, at(), settings.fields, ctx.modules));
    if (child.defaultValue !== undefined) {
      if (type.computed) problem(at('defaultValue'), 'a computed field has no default');
      for (const p of checkFeel(String(child.defaultValue), scope)) {
        problem(at('defaultValue'), `${p.message} (at ${p.from}-${p.to})`, 'expression');
      }
    }
  });
  const ruleIds = new Set<string>();
  settings.rules?.forEach((rule, i) => {
    const at = (...rest: (string | number)[]) => pointerOf('fields', index, 'rules', i, ...rest);
    if (ruleIds.has(rule.id)) problem(at('id'), `duplicate rule id '${rule.id}'`);
    ruleIds.add(rule.id);
    for (const key of ['expression', 'when'] as const) {
      const source = rule[key];
      if (source === undefined) continue;
      for (const p of checkFeel(source, scope))
        problem(at(key), `${p.message} (at ${p.from}-${p.to})`, 'expression');
    }
    rule.fields?.forEach((name, k) => {
      if (!names.has(name)) problem(at('fields', k), `no field named '${name}'`);
    });
  });
  if (
    settings.minRows !== undefined &&
    settings.maxRows !== undefined &&
    settings.minRows > settings.maxRows
  ) {
    problem(pointerOf('fields', index, 'minRows'), 'minRows is more than maxRows');
  }
  return problems;
}
