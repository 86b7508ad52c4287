/**
 * FEEL tooling for the designer: check an expression and name its result type, and evaluate it once
 * against sample values to show what it gives. Browser-safe.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';
import { checkFeel, compileFeel } from './compile.ts';
import { FeelCompileError } from './errors.ts';
import { feelResultType } from './result-type.ts';
import type { FeelProblem, FeelScope, FeelType } from './types.ts';

export interface FeelInspection {
  problems: FeelProblem[];
  /** The result's type when the expression makes it certain (a comparison is a boolean …). */
  resultType: FeelType | null;
}

/** The type name of a value an evaluation gave, as the designer shows it. */
export type FeelValueType = FeelType | 'time' | 'duration' | 'null';

export type FeelTrial =
  | { ok: true; value: unknown; type: FeelValueType; warnings: string[] }
  | { ok: false; problems: FeelProblem[] };

/** Every problem of `source` in `scope`, and its result type when known. */
export function inspectFeel(source: string, scope: FeelScope): FeelInspection {
  const problems = checkFeel(source, scope);
  return { problems, resultType: problems.length > 0 ? null : (feelResultType(source, scope) ?? null) };
}

/**
 * Evaluates `source` once against `values` (plain JSON record values by field name): the result as
 * JSON with its type, and feelin's warnings (a missing value, a function given the wrong type); or
 * the problems that keep it from compiling.
 */
export function tryFeel(source: string, scope: FeelScope, values: Record<string, unknown>): FeelTrial {
  try {
    const result = compileFeel(source, scope).evaluate(values);
    const shown = showValue(result.value);
    return { ok: true, value: shown.value, type: shown.type, warnings: result.warnings };
  } catch (error) {
    if (error instanceof FeelCompileError) return { ok: false, problems: error.problems };
    throw error;
  }
}

const MAX_DEPTH = 16;

function showValue(value: unknown, depth = 0): { value: unknown; type: FeelValueType } {
  if (value === null || value === undefined) return { value: null, type: 'null' };
  if (typeof value === 'string') return { value, type: 'string' };
  if (typeof value === 'number') return { value, type: 'number' };
  if (typeof value === 'boolean') return { value, type: 'boolean' };
  if (value instanceof FeelDateTime) return { value: String(value), type: 'date and time' };
  if (value instanceof FeelDate) return { value: String(value), type: 'date' };
  if (value instanceof FeelTime) return { value: String(value), type: 'time' };
  if (value instanceof FeelDuration) return { value: String(value), type: 'duration' };
  if (depth >= MAX_DEPTH) return { value: null, type: 'null' };
  if (Array.isArray(value))
    return { value: value.map((item) => showValue(item, depth + 1).value), type: 'list' };
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => [key, showValue(item, depth + 1).value] as const,
    );
    return { value: Object.fromEntries(entries), type: 'context' };
  }
  // functions and ranges have no JSON form
  return { value: String(value), type: 'any' };
}
