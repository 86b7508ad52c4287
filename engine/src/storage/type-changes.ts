import type { FieldDefinition } from '../definitions/types.ts';
import { optionsOf } from '../fields/options.ts';
import { PHONE_PATTERN } from '../fields/phone.ts';
import { DEFAULT_PRECISION, scaleOf } from '../fields/shared.ts';
import { DEFAULT_TEXT_LENGTH } from '../fields/text.ts';
import { losslessConversion } from './conversions.ts';
import { quoteLiteral } from './naming.ts';

/**
 * How the values of a field whose type changes are converted, as SQL over one row. Each function
 * takes SQL naming the old value (and the converted one) and returns a SQL expression.
 */
export interface ValueConversion {
  /** The converted value; NULL where the old value cannot be converted. */
  value(old: string): string;
  /** True where the old value is empty: it becomes null and nothing is lost. */
  empty(old: string): string;
  /** True where a converted value kept less than the old one (a fraction, a time of day). */
  lossy?(old: string, converted: string): string;
}

/**
 * What a change of a field's main column needs: nothing, an in-place `ALTER … TYPE` that cannot lose
 * a value, a conversion into a new column (whose failures the preview counts), or nothing sensible.
 */
export type TypeChange =
  | { kind: 'unchanged' }
  | { kind: 'inPlace' }
  | { kind: 'convert'; conversion: ValueConversion }
  | { kind: 'refused' };

const UNCHANGED: TypeChange = { kind: 'unchanged' };
const REFUSED: TypeChange = { kind: 'refused' };
const convert = (conversion: ValueConversion): TypeChange => ({ kind: 'convert', conversion });

/** Types whose value is one piece of text. */
const TEXTUAL = new Set(['text', 'longText', 'email', 'phone', 'url', 'select']);
/** Text that may spell a number, a date or a yes/no (an email address never does). */
const PLAIN_TEXT = new Set(['text', 'longText', 'select']);
const NUMERIC = new Set(['decimal', 'money', 'percent']);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const TRUE_WORDS = ['true', 't', 'yes', 'y', '1', 'on', '是', '真', '对'];
const FALSE_WORDS = ['false', 'f', 'no', 'n', '0', 'off', '否', '假', '错'];

// ajv-formats' full `email`, and an http(s) URL without spaces or characters a URI never holds.
const EMAIL =
  "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
const URL_TEXT = '^https?://[^\\s/?#<>"{}|\\\\^`]+([/?#][^\\s<>"{}|\\\\^`]*)?$';
const INTEGER_TEXT = '^[+-]?[0-9]{1,16}$';
const DECIMAL_TEXT = '^[+-]?([0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30})$';
const DATE_TEXT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const DATETIME_TEXT =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}([t ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?(z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$';
const ZONE_SUFFIX = '(z|[+-][0-9]{2}(:?[0-9]{2})?)$';
/** Separators of a list of choices written as text: commas and semicolons, ASCII or full-width. */
const LIST_SEPARATOR = '\\s*[,;，；、]\\s*';

const lit = quoteLiteral;
const num = (n: number) => String(n);
/** Trims spaces, tabs, line breaks and the full-width space. */
const trim = (text: string) => `btrim(${text}, E' \\t\\r\\n\u3000')`;

function textEmpty(old: string): string {
  return `(${old} IS NULL OR ${trim(old)} = '')`;
}

function emptyOf(field: FieldDefinition): (old: string) => string {
  if (TEXTUAL.has(field.type)) return textEmpty;
  if (field.type === 'multiSelect') return (old) => `(${old} IS NULL OR cardinality(${old}) = 0)`;
  return (old) => `(${old} IS NULL)`;
}

/** The old value as text, for targets that read text; undefined for types that have no text form. */
function textOf(field: FieldDefinition): ((old: string) => string) | undefined {
  if (TEXTUAL.has(field.type)) return (old) => old;
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'money':
    case 'percent':
    case 'boolean':
    case 'user':
    case 'department':
    case 'relation':
      return (old) => `${old}::text`;
    case 'date':
      return (old) => `to_char(${old}, 'YYYY-MM-DD')`;
    case 'datetime':
      return (old) => `to_char(${old} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'multiSelect':
      return (old) => `array_to_string(${old}, ', ')`;
    default:
      return undefined;
  }
}

/** The longest text a value of `field` can have, as stored (for deciding whether text targets fit). */
function longestText(field: FieldDefinition): number {
  const maxLength = typeof field.maxLength === 'number' ? field.maxLength : undefined;
  switch (field.type) {
    case 'text':
      return maxLength ?? DEFAULT_TEXT_LENGTH;
    case 'longText':
      return maxLength ?? 65535;
    case 'email':
      return 254;
    case 'phone':
      return 32;
    case 'url':
      return 2048;
    case 'select':
      return Math.max(0, ...optionsOf(field).map((o) => o.value.length));
    case 'integer':
      return 17;
    case 'decimal':
    case 'money':
    case 'percent':
      return (typeof field.precision === 'number' ? field.precision : DEFAULT_PRECISION) + 2;
    case 'boolean':
      return 5;
    case 'date':
      return 10;
    case 'datetime':
      return 32;
    case 'user':
    case 'department':
    case 'relation':
      return 36;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** SQL true when `y`-`m`-`d` (integer expressions) names a day that exists. */
function realDay(y: string, m: string, d: string): string {
  const leap = `((${y}) % 4 = 0 AND (${y}) % 100 <> 0 OR (${y}) % 400 = 0)`;
  const last = `CASE WHEN ${m} IN (4, 6, 9, 11) THEN 30 WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END ELSE 31 END`;
  return `(${y} >= 1 AND ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${last})`;
}

/** `v` (text matching DATE_TEXT at its start) names a real day. */
const realDayOf = (v: string) =>
  realDay(`substr(${v}, 1, 4)::int`, `substr(${v}, 6, 2)::int`, `substr(${v}, 9, 2)::int`);

function dateFromText(v: string): string {
  return `CASE WHEN ${v} ~ ${lit(DATE_TEXT)} THEN CASE WHEN ${realDayOf(v)} THEN ${v}::date END END`;
}

function datetimeFromText(v: string): string {
  const seconds = `CASE WHEN substr(${v}, 17, 1) = ':' THEN substr(${v}, 18, 2)::int < 60 ELSE true END`;
  const time = `CASE WHEN length(${v}) = 10 THEN true ELSE substr(${v}, 12, 2)::int < 24 AND substr(${v}, 15, 2)::int < 60 AND ${seconds} END`;
  const instant = `CASE WHEN length(${v}) > 10 AND ${v} ~* ${lit(ZONE_SUFFIX)} THEN ${v}::timestamptz ELSE ${v}::timestamp AT TIME ZONE 'UTC' END`;
  return `CASE WHEN ${v} ~* ${lit(DATETIME_TEXT)} THEN CASE WHEN ${realDayOf(v)} AND ${time} THEN ${instant} END END`;
}

/** The option value that `v` names: its value, or (ignoring case) its value or label in any locale. */
function optionOf(field: FieldDefinition, v: string): string {
  const options = optionsOf(field);
  if (options.length === 0) return 'NULL::text';
  const byName = options.map((option) => {
    const names = new Set([option.value, ...Object.values(option.label)].map((n) => n.toLowerCase()));
    return ` WHEN lower(${v}) IN (${[...names].map(lit).join(', ')}) THEN ${lit(option.value)}`;
  });
  const values = options.map((o) => lit(o.value)).join(', ');
  return `CASE WHEN ${v} IN (${values}) THEN ${v}${byName.join('')} END`;
}

function numberBounds(field: FieldDefinition, bound: string): { lo: string; hi: string } {
  const lo = typeof field.min === 'number' ? `greatest(-${bound}, ${num(field.min)})` : `-${bound}`;
  const hi = typeof field.max === 'number' ? `least(${bound}, ${num(field.max)})` : bound;
  return { lo, hi };
}

function toInteger(old: FieldDefinition, next: FieldDefinition): TypeChange {
  const { lo, hi } = numberBounds(next, num(MAX_SAFE));
  const empty = emptyOf(old);
  if (PLAIN_TEXT.has(old.type)) {
    return convert({
      value: (o) =>
        `CASE WHEN ${trim(o)} ~ ${lit(INTEGER_TEXT)} THEN CASE WHEN ${trim(o)}::numeric BETWEEN ${lo} AND ${hi} THEN ${trim(o)}::bigint END END`,
      empty,
    });
  }
  if (NUMERIC.has(old.type)) {
    return convert({
      value: (o) => `CASE WHEN round(${o}) BETWEEN ${lo} AND ${hi} THEN round(${o})::bigint END`,
      empty,
      lossy: (o, n) => `${o} <> ${n}`,
    });
  }
  if (old.type === 'boolean') return convert({ value: (o) => `${o}::int::bigint`, empty });
  return REFUSED;
}

function toDecimal(old: FieldDefinition, next: FieldDefinition): TypeChange {
  const precision = typeof next.precision === 'number' ? next.precision : DEFAULT_PRECISION;
  const scale = scaleOf(next);
  const whole = precision - scale;
  const bound = `${whole > 0 ? '9'.repeat(whole) : '0'}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
  const { lo, hi } = numberBounds(next, bound);
  let asNumber: (o: string) => string;
  if (PLAIN_TEXT.has(old.type)) {
    asNumber = (o) => `CASE WHEN ${trim(o)} ~ ${lit(DECIMAL_TEXT)} THEN ${trim(o)}::numeric END`;
  } else if (old.type === 'integer' || NUMERIC.has(old.type)) {
    asNumber = (o) => `${o}::numeric`;
  } else {
    return REFUSED;
  }
  const rounded = (o: string) => `round(${asNumber(o)}, ${scale})`;
  return convert({
    value: (o) => `CASE WHEN ${rounded(o)} BETWEEN ${lo} AND ${hi} THEN ${rounded(o)} END`,
    empty: emptyOf(old),
    lossy: (o, n) => `${asNumber(o)} <> ${n}`,
  });
}

function toBoolean(old: FieldDefinition): TypeChange {
  const empty = emptyOf(old);
  if (PLAIN_TEXT.has(old.type)) {
    const words = (list: string[]) => list.map(lit).join(', ');
    return convert({
      value: (o) =>
        `CASE WHEN lower(${trim(o)}) IN (${words(TRUE_WORDS)}) THEN true WHEN lower(${trim(o)}) IN (${words(FALSE_WORDS)}) THEN false END`,
      empty,
    });
  }
  if (old.type === 'integer')
    return convert({ value: (o) => `CASE ${o} WHEN 1 THEN true WHEN 0 THEN false END`, empty });
  return REFUSED;
}

function toDate(old: FieldDefinition): TypeChange {
  const empty = emptyOf(old);
  if (PLAIN_TEXT.has(old.type)) return convert({ value: (o) => dateFromText(trim(o)), empty });
  if (old.type === 'datetime') {
    return convert({
      value: (o) => `(${o} AT TIME ZONE 'UTC')::date`,
      empty,
      lossy: (o, n) => `${o} <> (${n}::timestamp AT TIME ZONE 'UTC')`,
    });
  }
  return REFUSED;
}

function toDatetime(old: FieldDefinition): TypeChange {
  if (PLAIN_TEXT.has(old.type))
    return convert({ value: (o) => datetimeFromText(trim(o)), empty: emptyOf(old) });
  return old.type === 'date' ? { kind: 'inPlace' } : REFUSED;
}

function toFormatted(old: FieldDefinition, pattern: string, maxLength: number): TypeChange {
  const text = textOf(old);
  if (!text || !(TEXTUAL.has(old.type) || old.type === 'integer')) return REFUSED;
  const v = (o: string) => trim(text(o));
  return convert({
    value: (o) =>
      `CASE WHEN ${v(o)} ~* ${lit(pattern)} AND char_length(${v(o)}) <= ${maxLength} THEN ${v(o)} END`,
    empty: emptyOf(old),
  });
}

function toText(old: FieldDefinition, next: FieldDefinition, fromSql: string): TypeChange {
  const limit =
    typeof next.maxLength === 'number' ? next.maxLength : next.type === 'text' ? DEFAULT_TEXT_LENGTH : 65535;
  if (longestText(old) <= limit) {
    const column = columnTypeChange(fromSql, 'text');
    if (column.kind !== 'refused') return column;
  }
  const text = textOf(old);
  if (!text) return REFUSED;
  return convert({
    value: (o) => `CASE WHEN char_length(${text(o)}) <= ${limit} THEN ${text(o)} END`,
    empty: emptyOf(old),
  });
}

function toSelect(old: FieldDefinition, next: FieldDefinition): TypeChange {
  const empty = emptyOf(old);
  if (old.type === 'multiSelect') {
    return convert({
      value: (o) => `CASE WHEN cardinality(${o}) = 1 THEN ${optionOf(next, `${o}[1]`)} END`,
      empty,
    });
  }
  const text = textOf(old);
  if (!text || !(TEXTUAL.has(old.type) || old.type === 'integer')) return REFUSED;
  return convert({ value: (o) => optionOf(next, trim(text(o))), empty });
}

function toMultiSelect(old: FieldDefinition, next: FieldDefinition): TypeChange {
  const empty = emptyOf(old);
  if (old.type === 'select') {
    const values = new Set(optionsOf(next).map((o) => o.value));
    if (optionsOf(old).every((o) => values.has(o.value))) return { kind: 'inPlace' };
    return convert({
      value: (o) => `CASE WHEN ${optionOf(next, o)} IS NOT NULL THEN ARRAY[${optionOf(next, o)}] END`,
      empty,
    });
  }
  if (!TEXTUAL.has(old.type)) return REFUSED;
  const most = typeof next.maxItems === 'number' ? ` AND count(*) <= ${next.maxItems}` : '';
  // every piece must name an option (else the value cannot convert); duplicates collapse, order stays
  return convert({
    value: (o) =>
      `(SELECT CASE WHEN count(*) FILTER (WHERE m IS NULL) = 0${most} THEN array_agg(m ORDER BY o) END
        FROM (SELECT m, min(o) AS o FROM (SELECT ${optionOf(next, 'e')} AS m, o
          FROM unnest(regexp_split_to_array(${trim(o)}, ${lit(LIST_SEPARATOR)})) WITH ORDINALITY AS u(e, o)
          WHERE e <> '') AS pieces GROUP BY m) AS distinct_pieces)`,
    empty,
  });
}

/**
 * The change of `old`'s main column (SQL type `fromSql`) into `next`'s (`toSql`). Pairs outside the
 * matrix below are refused unless their columns are alike or convert in place losslessly.
 */
export function typeChangeOf(
  old: FieldDefinition,
  next: FieldDefinition,
  fromSql: string,
  toSql: string,
): TypeChange {
  const column = columnTypeChange(fromSql, toSql);
  // formulas are recomputed on save: their columns change only as far as that is lossless
  if (old.type === 'formula' || next.type === 'formula') return column;
  if (
    old.type === next.type ||
    (NUMERIC.has(next.type) && (old.type === 'integer' || NUMERIC.has(old.type)))
  ) {
    if (column.kind !== 'refused') return column;
    return NUMERIC.has(next.type) ? toDecimal(old, next) : REFUSED;
  }
  switch (next.type) {
    case 'text':
    case 'longText':
      return toText(old, next, fromSql);
    case 'email':
      return toFormatted(old, EMAIL, 254);
    case 'phone':
      return toFormatted(old, PHONE_PATTERN, 32);
    case 'url':
      return toFormatted(old, URL_TEXT, 2048);
    case 'integer':
      return toInteger(old, next);
    case 'decimal':
    case 'money':
    case 'percent':
      return toDecimal(old, next);
    case 'boolean':
      return toBoolean(old);
    case 'date':
      return toDate(old);
    case 'datetime':
      return toDatetime(old);
    case 'select':
      return toSelect(old, next);
    case 'multiSelect':
      return toMultiSelect(old, next);
    default:
      return column;
  }
}

/** The change of a column from SQL type `fromSql` to `toSql` by itself: none, in place if lossless, else refused. */
export function columnTypeChange(fromSql: string, toSql: string): TypeChange {
  if (fromSql === toSql) return UNCHANGED;
  return losslessConversion(fromSql, toSql, 'x') !== undefined ? { kind: 'inPlace' } : REFUSED;
}
