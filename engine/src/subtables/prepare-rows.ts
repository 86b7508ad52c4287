import { uuidv7 } from 'uuidv7';
import { computeRowFormulas, rowFeelInput } from '../compile/formula-values.ts';
import type { CompiledModule, CompiledSubtable } from '../compile/module.ts';
import { type Problem, pointerOf } from '../errors.ts';
import type { RecordValues } from '../records/types.ts';

export type Row = Record<string, unknown>;

function isPlainObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Given rows as the values to validate: computed fields (the API returns them) dropped, empty values
 * absent, as for the record's own fields. Anything else stays for the schema to judge.
 */
export function cleanRowInput(module: CompiledModule, values: RecordValues): void {
  for (const sub of module.subtables) {
    const rows = values[sub.name];
    if (!Array.isArray(rows)) continue;
    values[sub.name] = rows.map((row) => {
      if (!isPlainObject(row)) return row;
      const clean: Row = Object.create(null);
      for (const [name, value] of Object.entries(row)) {
        if (sub.byName.get(name)?.computed) continue;
        if (isEmpty(value) && (name === 'id' || sub.byName.has(name))) continue;
        clean[name] = value;
      }
      return clean;
    });
  }
}

/** Defaults of fields a new row (no id) leaves empty; before validation, as for records. */
export function fillRowDefaults(module: CompiledModule, values: RecordValues): void {
  for (const sub of module.subtables) {
    const rows = values[sub.name];
    if (!Array.isArray(rows) || sub.defaults.length === 0) continue;
    for (const row of rows) {
      if (!isPlainObject(row) || row.id !== undefined) continue;
      applyRowDefaults(sub, row);
    }
  }
}

/** Fills the empty fields of a new row that have a default, each evaluated over the row so far. */
export function applyRowDefaults(sub: CompiledSubtable, row: Row): void {
  for (const { field, expression } of sub.defaults) {
    if (row[field.name] !== undefined) continue;
    const value = expression.evaluate(rowFeelInput(sub, row)).value;
    if (value === null || value === undefined || typeof value === 'object') continue;
    row[field.name] = field.definition.type === 'money' ? { amount: value } : value;
  }
}

/**
 * The validated rows of each sub-table made ready to store: their values as stored, ids checked
 * (a given id must be a row of this record; rows without one are new and get one), formulas computed,
 * row rules and unique fields checked. Returns the problems, pointing into the rows.
 */
export function prepareRows(
  module: CompiledModule,
  values: RecordValues,
  current: RecordValues | undefined,
): Problem[] {
  const problems: Problem[] = [];
  for (const sub of module.subtables) {
    const rows = (values[sub.name] as Row[] | undefined) ?? [];
    if (rows.length < sub.minRows) {
      const message = `must have at least ${sub.minRows} rows`;
      problems.push({
        pointer: pointerOf(sub.name),
        code: 'minItems',
        message,
        messages: { en: message, 'zh-CN': `至少 ${sub.minRows} 行` },
      });
    }
    const known = new Set(((current?.[sub.name] as Row[] | undefined) ?? []).map((r) => r.id));
    const seen = new Set<unknown>();
    const prepared = rows.map((input, i) => {
      const row: Row = Object.create(null);
      if (input.id !== undefined) {
        if (!known.has(input.id) || seen.has(input.id)) {
          const message = seen.has(input.id) ? 'the row is given twice' : 'no row of this record has this id';
          problems.push({
            pointer: pointerOf(sub.name, i, 'id'),
            code: 'row',
            message,
            messages: { en: message, 'zh-CN': seen.has(input.id) ? '该行重复出现' : '此记录没有该 id 的行' },
          });
        }
        seen.add(input.id);
        row.id = input.id;
      } else {
        row.id = uuidv7();
      }
      for (const field of sub.fields) {
        const value = input[field.name];
        if (value !== undefined) row[field.name] = field.normalize(value);
      }
      computeRowFormulas(sub, row);
      const context = rowFeelInput(sub, row);
      for (const { rule, expression, when } of sub.rules) {
        if (when && when.evaluate(context).value !== true) continue;
        if (expression.evaluate(context).value !== false) continue;
        const message = rule.message.en ?? Object.values(rule.message)[0];
        const targets = rule.fields && rule.fields.length > 0 ? rule.fields : [undefined];
        for (const name of targets) {
          problems.push({
            pointer: name ? pointerOf(sub.name, i, name) : pointerOf(sub.name, i),
            code: 'rule',
            message,
            messages: { ...rule.message },
          });
        }
      }
      return row;
    });
    for (const field of sub.fields) {
      if (field.definition.unique !== true) continue;
      const firstAt = new Map<string, number>();
      prepared.forEach((row, i) => {
        const value = row[field.name];
        if (value === undefined) return;
        const key = JSON.stringify(value);
        if (!firstAt.has(key)) {
          firstAt.set(key, i);
          return;
        }
        const message = `another row already has this value (row ${(firstAt.get(key) ?? 0) + 1})`;
        problems.push({
          pointer: pointerOf(sub.name, i, field.name),
          code: 'unique',
          message,
          messages: { en: message, 'zh-CN': `与第 ${(firstAt.get(key) ?? 0) + 1} 行的值重复` },
        });
      });
    }
    if (prepared.length > 0) values[sub.name] = prepared;
    else delete values[sub.name];
  }
  return problems;
}
