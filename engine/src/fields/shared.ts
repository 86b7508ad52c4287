import type { FieldDefinition } from '../definitions/types.ts';
import { roundDecimal } from '../expressions/decimal.ts';
import type { ColumnSpec, FieldType, JsonSchema } from './registry.ts';

/** Field types with one column and a value stored as is. */
export function mainColumn(sqlType: string): (field: FieldDefinition) => ColumnSpec[] {
  return () => [{ suffix: '', sqlType }];
}

export const DEFAULT_PRECISION = 15;
/** JS numbers hold 15 significant digits exactly, so decimal columns stop there. */
export const MAX_PRECISION = 15;

export const numberSettings = {
  min: { type: 'number' },
  max: { type: 'number' },
};

export const decimalSettings = {
  ...numberSettings,
  precision: { type: 'integer', minimum: 1, maximum: MAX_PRECISION },
  scale: { type: 'integer', minimum: 0, maximum: 10 },
};

export function scaleOf(field: FieldDefinition, fallback = 2): number {
  return typeof field.scale === 'number' ? field.scale : fallback;
}

export function numericSqlType(field: FieldDefinition, fallbackScale = 2): string {
  const precision = typeof field.precision === 'number' ? field.precision : DEFAULT_PRECISION;
  return `numeric(${precision},${scaleOf(field, fallbackScale)})`;
}

/** JSON Schema for a decimal with the field's scale and bounds, capped by what the column can hold. */
export function decimalSchema(field: FieldDefinition, fallbackScale = 2): JsonSchema {
  const scale = scaleOf(field, fallbackScale);
  const precision = typeof field.precision === 'number' ? field.precision : DEFAULT_PRECISION;
  const bound = 10 ** (precision - scale) - 10 ** -scale;
  const schema: JsonSchema = {
    type: 'number',
    minimum: typeof field.min === 'number' ? Math.max(field.min, -bound) : -bound,
    maximum: typeof field.max === 'number' ? Math.min(field.max, bound) : bound,
  };
  if (scale < 10) schema.multipleOf = Number(`1e-${scale}`);
  return schema;
}

/** A validated decimal rounded as its numeric column will store it (half away from zero). */
export function roundToScale(field: FieldDefinition, value: unknown, fallbackScale = 2): unknown {
  return typeof value === 'number' && Number.isFinite(value)
    ? roundDecimal(value, scaleOf(field, fallbackScale))
    : value;
}

/** A validated date-time in the one spelling the engine reads back: ISO 8601 in UTC, milliseconds. */
export function isoInstant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

export function toNumber(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  return typeof raw === 'number' ? raw : Number(raw);
}

/** '2026-01-02 03:04:05[.ffffff]+00': what Postgres prints for a timestamptz in a UTC session. */
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/** Postgres timestamptz text ('2026-01-02 03:04:05.678+00') to ISO 8601 in UTC. */
export function timestampToIso(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw.toISOString();
  const text = String(raw);
  // Sessions run in UTC, so this is the usual case; lists convert two of these per row.
  const utc = UTC_TIMESTAMP.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

export function withMinMax(schema: JsonSchema, field: FieldDefinition, minKey: string, maxKey: string) {
  if (typeof field.min === 'number') schema[minKey] = field.min;
  if (typeof field.max === 'number') schema[maxKey] = field.max;
  return schema;
}

export type { FieldType };
