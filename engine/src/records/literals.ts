/** Checks of the literal values queries put into SQL (filter values, cursor values), so that a bad
 * one is refused as an invalid query instead of failing in the database. */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 and PostgreSQL's own output: `2026-01-02T03:04:05.678Z`, `2026-01-02 03:04:05.678901+00`. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** A plain decimal, as numbers come back from numeric and bigint columns. */
const DECIMAL_TEXT = /^-?\d{1,30}(?:\.\d{1,30})?$/;

function realDay(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const last = new Date(0);
  last.setUTCFullYear(y, m, 0); // day 0 of the next month: the last of this one
  return d <= last.getUTCDate();
}

/** `YYYY-MM-DD` naming a day that exists. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  return match !== null && realDay(match[1], match[2], match[3]);
}

/** A date or a date-time (ISO 8601 or PostgreSQL text) naming an instant that exists. */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match || !realDay(match[1], match[2], match[3])) return false;
  const [hours, minutes, seconds] = [match[4], match[5], match[6]].map((v) => Number(v ?? 0));
  return hours < 24 && minutes < 60 && seconds < 60;
}

/** A number as JSON or as the text of a numeric column; `integer` also wants no fraction. */
export function isNumberLiteral(value: unknown, integer: boolean, max = Number.MAX_SAFE_INTEGER): boolean {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return false;
    return !integer || (Number.isInteger(value) && Math.abs(value) <= max);
  }
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) return false;
  return !integer || (!value.includes('.') && Math.abs(Number(value)) <= max);
}
