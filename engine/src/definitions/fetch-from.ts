/**
 * `fetchFrom: "product.list_price"`: when the relation `product` (of the same module, or of the
 * same sub-table row) changes, the field takes the related record's `list_price`. This file holds
 * the setting's reading and its publish checks; records/fetch-from.ts applies it. Browser-safe.
 */
import type { Problem } from '../errors.ts';
import type { FieldDefinition, ModuleDefinition } from './types.ts';

export interface FetchFrom {
  /** The fetched field (the one carrying the setting). */
  field: string;
  /** The relation field it follows. */
  relation: string;
  /** The field of the related record whose value is copied. */
  source: string;
}

/** The field's `fetchFrom`, read; undefined when it has none or it is not `relation.field`. */
export function fetchFromOf(field: FieldDefinition): FetchFrom | undefined {
  if (typeof field.fetchFrom !== 'string') return undefined;
  const parts = field.fetchFrom.split('.');
  if (parts.length !== 2 || parts.some((p) => p === '')) return undefined;
  return { field: field.name, relation: parts[0], source: parts[1] };
}

/** The fetched fields among `fields`. */
/**
 * A fetched value as the fetching field holds it: a number becomes money (`{ amount }`) for a money
 * field, money becomes its amount for a number field; nothing fetched is null.
 */
export function fetchedValue(value: unknown, money: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (money) return typeof value === 'number' ? { amount: value } : value;
  if (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { amount?: unknown }).amount === 'number'
  ) {
    return (value as { amount: number }).amount;
  }
  return value;
}

export function fetchesOf(fields: readonly FieldDefinition[]): FetchFrom[] {
  return fields.flatMap((f) => fetchFromOf(f) ?? []);
}

type Kind = string;

const TEXT_TYPES = new Set(['text', 'longText', 'select', 'autonumber', 'email', 'phone', 'url']);
const NUMBER_TYPES = new Set(['integer', 'decimal', 'percent']);
const NOT_ENTERED = new Set(['formula', 'rollup', 'autonumber', 'changedAt', 'subtable']);

/** What a source field's values are, as far as copying them goes. */
function kindOf(field: FieldDefinition): Kind {
  if (TEXT_TYPES.has(field.type)) return 'text';
  if (field.type === 'integer') return 'integer';
  if (NUMBER_TYPES.has(field.type)) return 'number';
  if (field.type === 'changedAt') return 'datetime';
  if (field.type === 'formula') {
    const result = String(field.resultType ?? 'text');
    return result === 'decimal' ? 'number' : result;
  }
  if (field.type === 'rollup') {
    if (field.aggregate === 'count') return 'integer';
    if (typeof field.currency === 'string') return 'money';
    return typeof field.resultType === 'string' && field.resultType !== 'number'
      ? field.resultType
      : 'number';
  }
  if (field.type === 'relation') return `relation:${String(field.target)}`;
  return field.type;
}

/** The kinds of source values a field of this type takes. */
function accepted(field: FieldDefinition): Set<Kind> {
  switch (field.type) {
    case 'text':
    case 'longText':
      return new Set(['text']);
    case 'integer':
      return new Set(['integer']);
    case 'decimal':
    case 'percent':
      return new Set(['integer', 'number']);
    case 'money':
      return new Set(['money', 'integer', 'number']);
    case 'relation':
      return new Set([`relation:${String(field.target)}`]);
    default:
      // the same type (or a formula of it): a date from a date, a user from a user …
      return new Set([field.type]);
  }
}

function problem(pointer: string, en: string, zh: string): Problem {
  return { pointer, code: 'fetchFrom', message: en, messages: { en, 'zh-CN': zh } };
}

/**
 * Publish checks of the `fetchFrom` of `field` (at `pointer`): the relation is a single relation
 * among `siblings` (the module's fields, or the row's), its target module has the source field, and
 * the source's values fit the field.
 */
export function checkFetchFrom(
  field: FieldDefinition,
  pointer: string,
  siblings: readonly FieldDefinition[],
  modules: ReadonlyMap<string, ModuleDefinition>,
): Problem[] {
  if (field.fetchFrom === undefined) return [];
  const at = `${pointer}/fetchFrom`;
  const setting = String(field.fetchFrom);
  const fetch = fetchFromOf(field);
  if (!fetch) {
    return [
      problem(
        at,
        `'${setting}' is not a relation field name and a field name joined by a dot (e.g. product.list_price)`,
        `“${setting}”应为关联字段名与目标字段名以点相连（如 product.list_price）`,
      ),
    ];
  }
  if (NOT_ENTERED.has(field.type)) {
    return [
      problem(
        at,
        `${field.name} is computed, so nothing is fetched into it`,
        `${field.name} 是计算字段，不能带出值`,
      ),
    ];
  }
  const relation = siblings.find((f) => f.name === fetch.relation);
  if (relation?.type !== 'relation') {
    const en = relation
      ? `'${fetch.relation}' is a ${relation.type} field, not a relation to one record`
      : `no relation field '${fetch.relation}' beside ${field.name}`;
    const zh = relation
      ? `“${fetch.relation}”是${relation.type}字段，不是单条记录的关联字段`
      : `与 ${field.name} 同级的字段中没有关联字段“${fetch.relation}”`;
    return [problem(at, en, zh)];
  }
  const target = modules.get(String(relation.target));
  if (!target) return []; // the relation's own check names a missing target
  const source = target.fields.find((f) => f.name === fetch.source);
  if (!source) {
    return [
      problem(
        at,
        `module ${target.name} has no field '${fetch.source}'`,
        `模块 ${target.name} 没有字段“${fetch.source}”`,
      ),
    ];
  }
  const fits = accepted(field);
  if (source.type === 'subtable' || !(fits.has(kindOf(source)) || fits.has(source.type))) {
    return [
      problem(
        at,
        `${target.name}.${source.name} (${source.type}) does not fit ${field.name} (${field.type})`,
        `${target.name}.${source.name}（${source.type}）与 ${field.name}（${field.type}）类型不兼容`,
      ),
    ];
  }
  return [];
}
