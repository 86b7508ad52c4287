/**
 * Conversion between stored record values (plain JSON) and FEEL values.
 *
 * Into FEEL only plain data goes: strings, finite numbers, booleans, null, arrays, plain objects and
 * feelin's own temporal values. Functions, class instances and `__proto__` keys are dropped, so an
 * expression can never reach JavaScript code through its input.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, parseDate, parseDateTime, toFeel } from 'feelin';
import { DECIMAL_PATTERN, normalizeFloat, roundDecimal } from './decimal.ts';
import type { FeelType, ResultType } from './types.ts';

/** Nesting deeper than this is cut off (as null): record values are shallow, and this bounds the work. */
const MAX_DEPTH = 32;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PREFIX_PATTERN = /^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/;
/** ISO 8601 / PostgreSQL text date-times: `2024-05-01T10:30:00.123Z`, `2024-05-01 10:30:00+02`, … */
const DATE_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?|@[\w/+-]+))?$/i;

// Into FEEL //////////////////////////////////////////////////////////////////////////////////////

/**
 * A stored (JSON) value as the FEEL value for a variable of `type`.
 *
 * - null/undefined → null; a value that doesn't fit the type → null
 * - `date`: 'YYYY-MM-DD' (or the date part of an ISO date-time) → FEEL date
 * - `date and time`: an ISO string → FEEL date and time (a zone-less one is taken as UTC)
 * - `number`: numbers stay numbers, decimal strings (PostgreSQL numeric) become numbers
 */
export function toFeelValue(value: unknown, type: FeelType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
      if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
      return null;
    case 'number':
      return toNumber(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      return null;
    case 'date':
      return toFeelDate(value);
    case 'date and time':
      return toFeelDateTime(value);
    case 'list':
      return Array.isArray(value) ? plainData(value, 0) : null;
    case 'context':
      return isPlainObject(value) ? plainData(value, 0) : null;
    default:
      return plainData(value, 0);
  }
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const text = value.trim();
    return DECIMAL_PATTERN.test(text) ? Number(text) : null;
  }
  return null;
}

function toFeelDate(value: unknown): FeelDate | null {
  if (value instanceof FeelDate) return value;
  if (value instanceof FeelDateTime) return safely(() => new FeelDate(value.unwrap().toPlainDate()));
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : parseIsoDate(value.toISOString().slice(0, 10));
  }
  if (typeof value !== 'string') return null;
  const match = DATE_PREFIX_PATTERN.exec(value.trim());
  return match ? parseIsoDate(match[1]) : null;
}

function parseIsoDate(text: string): FeelDate | null {
  // feelin's parseDate throws on negative years; the pattern only lets 4-digit years through
  return DATE_PATTERN.test(text) ? safely(() => parseDate(text)) : null;
}

function toFeelDateTime(value: unknown): FeelDateTime | null {
  if (value instanceof FeelDateTime) return value;
  if (value instanceof FeelDate) return parseIsoDateTime(`${value.toString()}T00:00:00Z`);
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : (safely(() => toFeel(value)) as FeelDateTime | null);
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (DATE_PATTERN.test(text)) return parseIsoDateTime(`${text}T00:00:00Z`);
  const match = DATE_TIME_PATTERN.exec(text);
  if (!match) return null;
  const [, day, time, zone] = match;
  return parseIsoDateTime(`${day}T${time}${normalizeZone(zone)}`);
}

/** `z` → `Z`, `+02` → `+02:00`, `+0230` → `+02:30`; no zone means UTC (how the engine stores date-times). */
function normalizeZone(zone: string | undefined): string {
  if (!zone || zone === 'z' || zone === 'Z') return 'Z';
  if (zone.startsWith('@')) return zone;
  const digits = zone.slice(1).replace(/:/g, '');
  const parts = [digits.slice(0, 2), digits.slice(2, 4) || '00'];
  if (digits.length > 4) parts.push(digits.slice(4, 6));
  return `${zone[0]}${parts.join(':')}`;
}

function parseIsoDateTime(text: string): FeelDateTime | null {
  return safely(() => parseDateTime(text));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A deep copy holding only plain data (see the module comment). */
function plainData(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number(value);
    case 'object':
      break;
    default:
      return null; // functions, symbols
  }
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => plainData(item, depth + 1));
  if (isPlainObject(value)) {
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(value)) {
      if (key === '__proto__') continue;
      entries.push([key, plainData(value[key], depth + 1)]);
    }
    return Object.fromEntries(entries);
  }
  if (
    value instanceof FeelDate ||
    value instanceof FeelDateTime ||
    value instanceof FeelTime ||
    value instanceof FeelDuration
  ) {
    return value;
  }
  if (value instanceof Date) return toFeelDateTime(value);
  return null; // class instances, Maps, …
}

// Out of FEEL ////////////////////////////////////////////////////////////////////////////////////

/**
 * A FEEL result as the JSON value to store in a field of `target` type; null when it doesn't convert.
 *
 * - date → 'YYYY-MM-DD' (a date and time gives its own calendar date)
 * - datetime → ISO 8601 in UTC ending in `Z` (a zone-less date and time is taken as UTC)
 * - decimal → rounded half up to the scale, exactly; integer → rounded half up to a whole number
 * - number → the float without binary noise (0.1 + 0.2 gives 0.3)
 * - text → strings as they are, numbers/booleans/dates as text
 * - durations and other non-storable values (lists, contexts, functions, ranges) → null
 */
export function fromFeelValue(value: unknown, target: ResultType): unknown {
  if (value === null || value === undefined || value instanceof FeelDuration) return null;
  switch (target.kind) {
    case 'text':
      return toText(value);
    case 'number': {
      const number = toNumber(value);
      return number === null ? null : normalizeFloat(number);
    }
    case 'integer':
      return rounded(value, 0);
    case 'decimal':
      return rounded(value, target.scale);
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return toIsoDate(value);
    case 'datetime':
      return toIsoDateTime(value);
    default:
      return null;
  }
}

function toText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(normalizeFloat(value)) : null;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof FeelDate || value instanceof FeelTime) return value.toString();
  if (value instanceof FeelDateTime) return toIsoDateTime(value);
  return null;
}

function rounded(value: unknown, scale: number): number | null {
  const number = toNumber(value);
  if (number === null) return null;
  return safely(() => roundDecimal(typeof value === 'string' ? value : number, scale));
}

function toIsoDate(value: unknown): string | null {
  if (value instanceof FeelDate) return value.toString();
  if (value instanceof FeelDateTime) return safely(() => value.unwrap().toPlainDate().toString());
  if (typeof value === 'string') return toFeelDate(value)?.toString() ?? null;
  return null;
}

function toIsoDateTime(value: unknown): string | null {
  let dateTime: FeelDateTime | null = null;
  if (value instanceof FeelDateTime) dateTime = value;
  else if (value instanceof FeelDate || typeof value === 'string') dateTime = toFeelDateTime(value);
  if (!dateTime) return null;
  const instant = dateTime;
  return safely(() => new Date(epochMilliseconds(instant)).toISOString());
}

const FIXED_OFFSET_PATTERN = /^([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The instant of a FEEL date and time; zone-less values are taken as UTC. */
function epochMilliseconds(value: FeelDateTime): number {
  const wall = value.unwrap();
  const zone = value.zone;
  if (zone === null || zone === 'UTC') return wall.toZonedDateTime('UTC').epochMilliseconds;
  // fixed offsets by hand: Temporal rejects sub-minute offset zones, which FEEL allows
  const offset = FIXED_OFFSET_PATTERN.exec(zone);
  if (offset) {
    const seconds = Number(offset[2]) * 3600 + Number(offset[3]) * 60 + Number(offset[4] ?? 0);
    const sign = offset[1] === '-' ? -1 : 1;
    return wall.toZonedDateTime('UTC').epochMilliseconds - sign * seconds * 1000;
  }
  return wall.toZonedDateTime(zone).epochMilliseconds;
}

function safely<T>(fn: () => T): T | null {
  try {
    return fn() ?? null;
  } catch {
    return null;
  }
}
