import { problemsFromAjv } from '../compile/ajv.ts';
import { computeFormulas, feelInput } from '../compile/formula-values.ts';
import type { CompiledModule } from '../compile/module.ts';
import { SYSTEM_FIELDS } from '../definitions/names.ts';
import { EngineError, type Problem, pointerOf } from '../errors.ts';
import { fromFeelValue } from '../expressions/index.ts';
import { changedAtField, stampChanges } from '../fields/changed-at.ts';
import { emptyRollupValue } from '../fields/rollup.ts';
import { findNul } from '../json-text.ts';
import { cleanRowInput, fillRowDefaults, prepareRows } from '../subtables/prepare-rows.ts';
import { diffValues } from './history.ts';
import type { RecordValues } from './types.ts';

const SYSTEM = new Set<string>(SYSTEM_FIELDS);

/** What a field counts as empty: absent, null, blank text or an empty list. */
export function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns user input into the values to store: drops system and computed fields, treats null as
 * empty, fills defaults (create only), validates against the record schema, computes formulas
 * and checks the module's rules. Throws one error listing every problem.
 *
 * `current` is the stored record for an update: the input is a patch over it.
 */
export function prepareValues(
  module: CompiledModule,
  input: unknown,
  current?: RecordValues,
  system: RecordValues = {},
): RecordValues {
  // a new record has no source rows yet: defaults, formulas and rules see its counts and sums as 0,
  // what the recompute after the insert stores
  if (!current) system = { ...emptyRollups(module), ...system };
  // today() and now() read the write's time, the engine's clock
  const at = typeof system.updated_at === 'string' ? new Date(system.updated_at) : undefined;
  if (!isPlainObject(input)) {
    throw new EngineError('invalid-record', 'the record must be a JSON object', [
      { pointer: '', code: 'type', message: 'must be a JSON object' },
    ]);
  }
  // no prototype: a `__proto__` key is then an ordinary (unknown) field, refused by the schema
  const values: RecordValues = Object.create(null);
  if (current) {
    for (const field of module.fields) {
      const value = current[field.name];
      if (!field.computed && value !== null && value !== undefined) values[field.name] = value;
    }
  }
  for (const [name, value] of Object.entries(input)) {
    if (SYSTEM.has(name) || module.byName.get(name)?.computed) continue;
    // null (and '' or [], what a cleared form sends) empties a known field; an unknown key stays for
    // the schema to refuse
    if (isEmpty(value) && module.byName.has(name)) delete values[name];
    else values[name] = value;
  }
  cleanRowInput(module, values);
  const nul = findNul(values);
  if (nul !== undefined) {
    throw invalid([
      { pointer: nul, code: 'characters', message: 'must not contain the NUL character (U+0000)' },
    ]);
  }

  if (!current) applyDefaults(module, values, system, at);

  fillRowDefaults(module, values);

  if (!module.validateValues(values)) {
    throw invalid(problemsFromAjv(module.validateValues.errors));
  }
  const typeProblems = valueProblems(module, values);
  if (typeProblems.length > 0) throw invalid(typeProblems);
  // as stored from here on: formulas, rules and the history see what the table will hold
  for (const field of module.fields) {
    if (values[field.name] !== undefined) values[field.name] = field.normalize(values[field.name]);
  }

  // rows first: the record's formulas and rules see them as stored
  const problems = prepareRows(module, values, current);
  stampChanges(module, values, current, system.updated_at);

  computeFormulas(module, values, system, at);

  // values the engine assigned once (autonumbers) stay as they are
  if (current) {
    const formulas = new Set(module.formulas.map((f) => f.field));
    for (const field of module.fields) {
      const value = current[field.name];
      if (field.definition.type === changedAtField.type) continue;
      if (field.computed && !formulas.has(field) && value !== null && value !== undefined) {
        values[field.name] = value;
      }
    }
  }

  problems.push(...conditionProblems(module, values, current, system));

  const context = feelInput(module, { ...system, ...values });
  for (const { rule, expression, when } of module.rules) {
    if (when && when.evaluate(context, at).value !== true) continue;
    if (expression.evaluate(context, at).value !== false) continue;
    const messages = rule.message;
    const message = messages.en ?? Object.values(messages)[0];
    const targets = rule.fields && rule.fields.length > 0 ? rule.fields : [''];
    for (const name of targets) {
      problems.push({
        pointer: name ? pointerOf(name) : '',
        code: 'rule',
        message,
        messages: { ...messages },
      });
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return values;
}

/**
 * Fills the empty fields that have a default (a new record's), each evaluated over the values so
 * far and `system` (owner, timestamps, rollups at 0), at `at`.
 */
export function applyDefaults(
  module: CompiledModule,
  values: RecordValues,
  system: RecordValues,
  at?: Date,
): void {
  for (const { field, expression } of module.defaults) {
    if (values[field.name] !== undefined) continue;
    const value = defaultValue(
      expression.evaluate(feelInput(module, { ...system, ...values }), at).value,
      field,
    );
    if (value !== null && value !== undefined) values[field.name] = value;
  }
}

/** What a new record starts with, before anything is entered: defaults over `system`. */
export function newRecordDefaults(module: CompiledModule, system: RecordValues): RecordValues {
  const all = { ...emptyRollups(module), ...system };
  const at = typeof system.updated_at === 'string' ? new Date(system.updated_at) : undefined;
  const values: RecordValues = {};
  applyDefaults(module, values, all, at);
  return values;
}

/**
 * Field conditions on save: a visible field required by its condition must have a value; a field
 * read-only by its condition on the stored record must not change. A hidden field's value is kept
 * as sent (hiding a field never erases data) and is never required.
 */
function conditionProblems(
  module: CompiledModule,
  values: RecordValues,
  current: RecordValues | undefined,
  system: RecordValues,
): Problem[] {
  if (!module.conditions) return [];
  const problems: Problem[] = [];
  for (const name of module.conditions({ ...system, ...values }).required) {
    if (isEmpty(values[name])) problems.push(conditionProblem(name, 'required', REQUIRED));
  }
  if (current) {
    const changed = diffValues(module, current, values);
    for (const name of module.conditions(current).readOnly) {
      if (changed[name]) problems.push(conditionProblem(name, 'read-only', READ_ONLY));
    }
  }
  return problems;
}

const REQUIRED = { en: 'is required', 'zh-CN': '必填' };
const READ_ONLY = { en: 'cannot be changed now (read-only by its condition)', 'zh-CN': '当前条件下不可修改' };

function conditionProblem(name: string, code: string, messages: Record<string, string>): Problem {
  return { pointer: pointerOf(name), code, message: messages.en, messages: { ...messages } };
}

function emptyRollups(module: CompiledModule): RecordValues {
  const values: RecordValues = {};
  for (const field of module.rollups) {
    const empty = emptyRollupValue(field.definition);
    if (empty !== null) values[field.name] = empty;
  }
  return values;
}

function defaultValue(value: unknown, field: CompiledModule['fields'][number]): unknown {
  const type = field.definition.type;
  if (type === 'money') return typeof value === 'number' ? { amount: value } : null;
  if (type === 'date') return fromFeelValue(value, { kind: 'date' });
  if (type === 'datetime') return fromFeelValue(value, { kind: 'datetime' });
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return null;
  return value;
}

function invalid(problems: Problem[]): EngineError {
  const fields = [...new Set(problems.map((p) => p.pointer.split('/')[1] ?? '').filter(Boolean))];
  const where = fields.length > 0 ? ` (${fields.join(', ')})` : '';
  return new EngineError('invalid-record', `the record is not valid${where}`, problems);
}

/** What the field types' own checks (beyond JSON Schema) say of the values. */
function valueProblems(module: CompiledModule, values: RecordValues): Problem[] {
  const problems: Problem[] = [];
  for (const field of module.fields) {
    const value = values[field.name];
    if (value === undefined || !field.type.validate) continue;
    const problem = field.type.validate(field.definition, value);
    if (problem) {
      problems.push({
        pointer: pointerOf(field.name),
        code: problem.code,
        message: problem.messages.en,
        messages: problem.messages,
      });
    }
  }
  return problems;
}
