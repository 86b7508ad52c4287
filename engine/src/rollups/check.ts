import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import { compileFeel } from '../expressions/index.ts';
import { defaultCurrency } from '../fields/money.ts';
import type { FieldCheckProblem, FieldTypeRegistry } from '../fields/registry.ts';
import { rollupSettings } from '../fields/rollup.ts';
import { filterKind } from './filter-sql.ts';
import { compileSourceFilter, resolveRollupSource } from './sources.ts';

/** The one currency of money values a rollup over `field` adds up, or why there is none. */
function currencyOf(field: FieldDefinition): { currency?: string; several?: string[] } {
  if (field.type === 'rollup') return { currency: rollupSettings(field).currency };
  if (field.type !== 'money') return {};
  const list = Array.isArray(field.currencies) ? (field.currencies as string[]) : [];
  if (list.length > 1) return { several: list };
  return { currency: list[0] ?? defaultCurrency(field) };
}

/** A rollup's settings checked against the modules after the publish (pointers relative to the field). */
export function checkRollup(
  field: FieldDefinition,
  module: ModuleDefinition,
  modules: ReadonlyMap<string, ModuleDefinition>,
): FieldCheckProblem[] {
  const { over, aggregate, field: aggregated, filter, resultType, currency } = rollupSettings(field);
  const source = resolveRollupSource(module, over, modules);
  if (!source) {
    return [
      {
        pointer: '/over',
        message: `module '${module.name}' has no related list or sub-table named '${over}'`,
      },
    ];
  }
  const problems: FieldCheckProblem[] = [];
  const where = source.subtable
    ? `rows of ${source.module.name}.${source.subtable.name}`
    : `${source.module.name} records`;
  if (aggregate === 'count') {
    if (aggregated !== undefined) problems.push({ pointer: '/field', message: 'count takes no field' });
    if (resultType !== undefined && resultType !== 'number')
      problems.push({ pointer: '/resultType', message: 'a count is a number' });
    if (currency !== undefined) problems.push({ pointer: '/currency', message: 'a count has no currency' });
  } else if (aggregated === undefined) {
    problems.push({ pointer: '/field', message: `${aggregate} needs the field to aggregate` });
  } else {
    const target = source.fields.find((f) => f.name === aggregated);
    const kind = target ? filterKind(target) : undefined;
    if (!target) {
      problems.push({ pointer: '/field', message: `the ${where} have no field '${aggregated}'` });
    } else if (kind === 'date' || kind === 'datetime') {
      if (aggregate !== 'min' && aggregate !== 'max') {
        problems.push({
          pointer: '/aggregate',
          message: `${aggregate} of dates is not supported (min or max only)`,
        });
      } else if (resultType !== kind) {
        problems.push({
          pointer: '/resultType',
          message: `field '${aggregated}' holds ${kind}s: set resultType '${kind}'`,
        });
      }
    } else if (kind !== 'number') {
      problems.push({
        pointer: '/field',
        message: `field '${aggregated}' is a ${target.type} field, not a number or a date`,
      });
    } else {
      if (resultType !== undefined && resultType !== 'number')
        problems.push({ pointer: '/resultType', message: `field '${aggregated}' holds numbers` });
      const money = currencyOf(target);
      if (money.several) {
        problems.push({
          pointer: '/field',
          message: `money field '${aggregated}' allows several currencies (${money.several.join(', ')}): amounts in different currencies cannot be added up`,
        });
      } else if (money.currency !== currency) {
        problems.push({
          pointer: '/currency',
          message: money.currency
            ? `field '${aggregated}' is money in ${money.currency}: set currency '${money.currency}'`
            : `field '${aggregated}' is no money: leave currency out`,
        });
      }
    }
  }
  if (filter !== undefined) {
    const compiled = compileSourceFilter(filter, source);
    if (!compiled.ok)
      problems.push({ pointer: '/filter', message: `filter '${filter}': ${compiled.problem}` });
  }
  return problems;
}

/**
 * A cycle through rollups and formulas that starts at rollup `field` of `module` (a rollup over
 * records whose aggregated field depends, through formulas and rollups, on the rollup itself), as the
 * path of `module.field` names, or undefined.
 */
export function rollupCycle(
  field: FieldDefinition,
  module: ModuleDefinition,
  modules: ReadonlyMap<string, ModuleDefinition>,
  registry: FieldTypeRegistry,
): string[] | undefined {
  const start = `${module.id}.${field.name}`;
  const label = (key: string) => {
    const [moduleId, name] = splitKey(key);
    return `${modules.get(moduleId)?.name ?? moduleId}.${name}`;
  };
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (key: string, path: string[]): string[] | undefined => {
    if (visiting.has(key)) return key === start ? [...path, label(key)] : undefined;
    if (done.has(key)) return undefined;
    visiting.add(key);
    for (const next of dependencies(key, modules, registry)) {
      const found = visit(next, [...path, label(key)]);
      if (found) return found;
    }
    visiting.delete(key);
    done.add(key);
    return undefined;
  };
  return visit(start, []);
}

function splitKey(key: string): [string, string] {
  const dot = key.lastIndexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** The module fields a formula or rollup reads (`moduleId.fieldName`). */
function dependencies(
  key: string,
  modules: ReadonlyMap<string, ModuleDefinition>,
  registry: FieldTypeRegistry,
): string[] {
  const [moduleId, name] = splitKey(key);
  const module = modules.get(moduleId);
  const field = module?.fields.find((f) => f.name === name);
  if (!module || !field) return [];
  if (field.type === 'formula' && typeof field.expression === 'string') {
    const variables = Object.fromEntries(
      module.fields.map((f) => [f.name, registry.get(f.type)?.feelType(f) ?? 'any'] as const),
    );
    try {
      return compileFeel(field.expression, { variables }).references.map((r) => `${module.id}.${r}`);
    } catch {
      return [];
    }
  }
  if (field.type !== 'rollup') return [];
  const settings = rollupSettings(field);
  const source = resolveRollupSource(module, settings.over, modules);
  // rows of sub-tables hold no rollups, and their formulas read only their own row
  if (source?.kind !== 'records') return [];
  const names = new Set<string>();
  if (settings.field) names.add(settings.field);
  if (settings.filter) {
    const compiled = compileSourceFilter(settings.filter, source);
    if (compiled.ok) for (const r of compiled.references) names.add(r);
  }
  return [...names].map((n) => `${source.module.id}.${n}`);
}
