import { pointerOf } from '@crm/engine';
import type { Context } from 'hono';
import { HttpProblem, httpProblem } from './problem.ts';

/**
 * The query string as single values, refusing parameters the endpoint does not know (a typo
 * such as `filters=` would otherwise silently return everything) and parameters given twice.
 */
export function queryParams(c: Context, allowed: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!allowed.includes(name)) {
      throw new HttpProblem('invalid-query', `unknown query parameter '${name}'`, [
        {
          pointer: pointerOf(name),
          code: 'unknown-parameter',
          detail: `is not a parameter of this endpoint (use ${allowed.join(', ')})`,
        },
      ]);
    }
    if (values.length > 1) throw httpProblem('invalid-query', `/${name}`, 'repeated', 'must be given once');
    params[name] = values[0];
  }
  return params;
}

/** A whole number in `[min, max]` from query text, or a 400 naming the parameter. */
export function integerParam(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^-?\d{1,16}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw httpProblem('invalid-query', `/${name}`, 'range', `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function booleanParam(text: string | undefined, name: string): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw httpProblem('invalid-query', `/${name}`, 'type', 'must be true or false');
}
