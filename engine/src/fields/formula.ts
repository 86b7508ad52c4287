import type { FieldDefinition } from '../definitions/types.ts';
import { checkFeel, type FeelType, type ResultType } from '../expressions/index.ts';
import type { ColumnSpec, FieldType, FilterFamily } from './registry.ts';
import { timestampToIso, toNumber } from './shared.ts';

export const FORMULA_RESULT_TYPES = [
  'text',
  'number',
  'integer',
  'decimal',
  'boolean',
  'date',
  'datetime',
] as const;
type FormulaResult = (typeof FORMULA_RESULT_TYPES)[number];

const byResult: Record<
  FormulaResult,
  { sql: (f: FieldDefinition) => string; feel: FeelType; filter: FilterFamily }
> = {
  text: { sql: () => 'text', feel: 'string', filter: 'text' },
  number: { sql: () => 'double precision', feel: 'number', filter: 'number' },
  integer: { sql: () => 'bigint', feel: 'number', filter: 'number' },
  decimal: { sql: (f) => `numeric(15,${formulaScale(f)})`, feel: 'number', filter: 'number' },
  boolean: { sql: () => 'boolean', feel: 'boolean', filter: 'boolean' },
  date: { sql: () => 'date', feel: 'date', filter: 'date' },
  datetime: { sql: () => 'timestamptz', feel: 'date and time', filter: 'date' },
};

export function formulaResult(field: FieldDefinition): FormulaResult {
  return (field.resultType as FormulaResult) ?? 'text';
}

function formulaScale(field: FieldDefinition): number {
  return typeof field.scale === 'number' ? field.scale : 2;
}

export function formulaResultType(field: FieldDefinition): ResultType {
  const result = formulaResult(field);
  return result === 'decimal' ? { kind: 'decimal', scale: formulaScale(field) } : { kind: result };
}

const valueSchemas: Record<FormulaResult, Record<string, unknown>> = {
  text: { type: 'string' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  decimal: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
};

/** A FEEL expression over the record's other fields, computed and stored on every save. */
export const formulaField: FieldType = {
  type: 'formula',
  label: { en: 'Formula', 'zh-CN': '公式' },
  settings: {
    properties: {
      expression: { type: 'string', minLength: 1, maxLength: 4000 },
      resultType: { enum: [...FORMULA_RESULT_TYPES] },
      scale: { type: 'integer', minimum: 0, maximum: 10 },
    },
    required: ['expression', 'resultType'],
  },
  widget: 'readonly',
  computed: true,
  feelType: (field) => byResult[formulaResult(field)].feel,
  columns: (field): ColumnSpec[] => [{ suffix: '', sqlType: byResult[formulaResult(field)].sql(field) }],
  valueSchema: (field) => ({ ...valueSchemas[formulaResult(field)], readOnly: true }),
  fromColumns: (field, [raw]) => {
    const result = formulaResult(field);
    if (result === 'number' || result === 'integer' || result === 'decimal') return toNumber(raw);
    if (result === 'datetime') return timestampToIso(raw);
    return raw ?? null;
  },
  check: (field, { feelScope }) => {
    const scope = { variables: { ...feelScope.variables } };
    delete scope.variables[field.name];
    return checkFeel(String(field.expression), scope).map((p) => ({
      pointer: '/expression',
      message: `${p.message} (at ${p.from}-${p.to})`,
    }));
  },
  sortable: true,
};

/** Formula filters follow the family of their result type. */
export function formulaFilterFamily(field: FieldDefinition): FilterFamily {
  return byResult[formulaResult(field)].filter;
}
