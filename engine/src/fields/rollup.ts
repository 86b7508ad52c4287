import type { FieldDefinition } from '../definitions/types.ts';
import type { ColumnSpec, FieldType, FilterFamily } from './registry.ts';
import { timestampToIso, toNumber } from './shared.ts';

export const ROLLUP_AGGREGATES = ['count', 'sum', 'min', 'max', 'avg'] as const;
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];

export interface RollupSettings {
  /** An inverse relation list of this module, or one of its own sub-table fields. */
  over: string;
  aggregate: RollupAggregate;
  /** The aggregated field of the source rows (not for count). */
  field?: string;
  /** FEEL condition over a source row; compiled to SQL (see rollups/filter-sql.ts). */
  filter?: string;
  /** min/max of dates give a date or a date-time; everything else a number. */
  resultType?: 'number' | 'date' | 'datetime';
  /** Decimal places of a number result (default 2; count is whole). */
  scale?: number;
  /** Set exactly when the aggregated field is money: its one currency (see docs: money rollups). */
  currency?: string;
}

export function rollupSettings(field: FieldDefinition): RollupSettings {
  return field as unknown as RollupSettings;
}

type RollupResult = 'integer' | 'number' | 'date' | 'datetime';

export function rollupResult(field: FieldDefinition): RollupResult {
  const { aggregate, resultType } = rollupSettings(field);
  if (aggregate === 'count') return 'integer';
  if ((aggregate === 'min' || aggregate === 'max') && resultType && resultType !== 'number')
    return resultType;
  return 'number';
}

export function rollupScale(field: FieldDefinition): number {
  return typeof field.scale === 'number' ? field.scale : 2;
}

const sqlTypes: Record<RollupResult, (f: FieldDefinition) => string> = {
  integer: () => 'bigint',
  number: (f) => `numeric(15,${rollupScale(f)})`,
  date: () => 'date',
  datetime: () => 'timestamptz',
};

const families: Record<RollupResult, FilterFamily> = {
  integer: 'number',
  number: 'number',
  date: 'date',
  datetime: 'date',
};

/**
 * count, sum, min, max or avg over the records of a related list or over the rows of a sub-table,
 * optionally filtered; stored and kept current by the engine in the writing transaction.
 */
export const rollupField: FieldType = {
  type: 'rollup',
  label: { en: 'Rollup', 'zh-CN': '汇总' },
  settings: {
    properties: {
      over: { $ref: '#/$defs/apiName' },
      aggregate: { enum: [...ROLLUP_AGGREGATES] },
      field: { $ref: '#/$defs/apiName' },
      filter: { $ref: '#/$defs/feelExpression' },
      resultType: { enum: ['number', 'date', 'datetime'] },
      scale: { type: 'integer', minimum: 0, maximum: 10 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
    required: ['over', 'aggregate'],
  },
  widget: 'readonly',
  computed: true,
  feelType: (field) => {
    const result = rollupResult(field);
    return result === 'date' ? 'date' : result === 'datetime' ? 'date and time' : 'number';
  },
  columns: (field): ColumnSpec[] => [{ suffix: '', sqlType: sqlTypes[rollupResult(field)](field) }],
  valueSchema: (field) => {
    const result = rollupResult(field);
    const { currency } = rollupSettings(field);
    if (currency) {
      return {
        type: 'object',
        properties: { amount: { type: 'number' }, currency: { type: 'string', const: currency } },
        required: ['amount', 'currency'],
        readOnly: true,
      };
    }
    if (result === 'date') return { type: 'string', format: 'date', readOnly: true };
    if (result === 'datetime') return { type: 'string', format: 'date-time', readOnly: true };
    return { type: result === 'integer' ? 'integer' : 'number', readOnly: true };
  },
  fromColumns: (field, [raw]) => {
    const result = rollupResult(field);
    if (result === 'datetime') return timestampToIso(raw);
    if (result === 'date') return raw ?? null;
    const amount = toNumber(raw);
    const { currency } = rollupSettings(field);
    return currency && amount !== null ? { amount, currency } : amount;
  },
  sortable: true,
};

/**
 * What a rollup holds over no source rows: 0 for count and sum (money: 0 in its currency), nothing
 * for min, max and avg. A new record starts with it, so its rules and formulas see 0, not empty.
 */
export function emptyRollupValue(
  field: FieldDefinition,
): number | { amount: number; currency: string } | null {
  const { aggregate, currency } = rollupSettings(field);
  if (aggregate !== 'count' && aggregate !== 'sum') return null;
  return currency ? { amount: 0, currency } : 0;
}

export function rollupFilterFamily(field: FieldDefinition): FilterFamily {
  return families[rollupResult(field)];
}
