/**
 * Exact decimal rounding for money and other scaled numbers.
 *
 * FEEL numbers are JS floats, so `0.1 + 0.2` is 0.30000000000000004 and a sum of prices drifts.
 * A float carries 15 reliable significant digits; normalising to those first removes the drift,
 * then decimal.js rounds half away from zero ("half up" in the commercial sense) to the scale.
 */
import decimalJs, { type Decimal } from 'decimal.js';

// decimal.js ships CommonJS typings (`module.exports` holding `.Decimal`) for an ES module whose
// default export is the constructor itself: accept either shape.
type DecimalClass = typeof decimalJs.Decimal;
const DecimalConstructor: DecimalClass =
  (decimalJs as { Decimal?: DecimalClass }).Decimal ?? (decimalJs as unknown as DecimalClass);

/** A private Decimal constructor, so global decimal.js settings elsewhere can't change our results. */
const Exact = DecimalConstructor.clone({
  precision: 64,
  rounding: DecimalConstructor.ROUND_HALF_UP,
  toExpNeg: -64,
  toExpPos: 64,
});

const FLOAT_DIGITS = 15;
const MAX_SCALE = 100;

/**
 * A float with its binary noise removed: `Number(x.toPrecision(15))`, done with decimal.js.
 * Safe integers are exact already and are returned unchanged (so 9007199254740991 stays itself).
 */
export function normalizeFloat(value: number): number {
  if (!Number.isFinite(value) || Number.isSafeInteger(value)) return value;
  return toNumber(new Exact(value).toSignificantDigits(FLOAT_DIGITS, Exact.ROUND_HALF_UP));
}

/**
 * Round `value` to `scale` decimal places, half away from zero, exactly.
 *
 * A number is first normalised to 15 significant digits (so 1.0049999999999999, the float nearest
 * to 1.005, rounds to 1.01); a string is taken as the exact decimal it spells (PostgreSQL numeric).
 *
 * @throws RangeError for a scale that is not an integer in 0..100 or a string that is not a decimal
 */
export function roundDecimal(value: number | string, scale: number): number {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be an integer from 0 to ${MAX_SCALE}, got ${scale}`);
  }
  let decimal: Decimal;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return value;
    decimal = new Exact(normalizeFloat(value));
  } else {
    const text = value.trim();
    if (!DECIMAL_PATTERN.test(text)) {
      throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
    }
    decimal = new Exact(text);
  }
  return toNumber(decimal.toDecimalPlaces(scale, Exact.ROUND_HALF_UP));
}

/** A plain decimal literal: optional sign, digits with an optional fraction, optional exponent. */
export const DECIMAL_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(decimal: Decimal): number {
  const result = decimal.toNumber();
  // -0 is not a value anyone wants stored or displayed
  return result === 0 ? 0 : result;
}
