import { FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';
import { compileFeel } from '../expressions/compile.ts';
import { normalizeFloat } from '../expressions/decimal.ts';
import { FeelCompileError } from '../expressions/errors.ts';
import { lintProblem, type WorkflowProblem } from './problems.ts';

export type Variables = Record<string, unknown>;

/**
 * A Zeebe-style setting: `=expr` is FEEL, compiled once per definition version and evaluated over
 * the process variables; anything else is the literal text.
 */
export interface Expr {
  readonly source: string;
  /** Literal text, or FEEL that reads no variable and no clock: its value is known at deploy. */
  readonly constant: boolean;
  evaluate(variables: Variables): unknown;
}

export class ExpressionError extends Error {}

/** Compiles `source` (for `elementId`'s `setting`); a bad expression is added to `problems`. */
export function compileExpr(
  source: string,
  elementId: string,
  setting: string,
  problems: WorkflowProblem[],
  feelOnly = false,
): Expr | undefined {
  const text = source.trim();
  const isFeel = text.startsWith('=') || feelOnly;
  if (!isFeel) return { source: text, constant: true, evaluate: () => text };
  const body = text.startsWith('=') ? text.slice(1) : text;
  try {
    const compiled = compileFeel(body, { variables: {}, open: true });
    return {
      source: text,
      constant: compiled.references.length === 0 && !compiled.readsClock,
      evaluate(variables) {
        const { value, warnings } = compiled.evaluate(variables);
        if (value === null && warnings.some((warning) => warning.startsWith('Evaluation failed'))) {
          throw new ExpressionError(`${setting} '${text}' failed: ${warnings.join('; ')}`);
        }
        return toJsonValue(value);
      },
    };
  } catch (error) {
    const reason = error instanceof FeelCompileError ? error.message : String(error);
    problems.push(
      lintProblem(elementId, 'invalid-expression', {
        en: `${setting}: ${reason}`,
        'zh-CN': `${setting} 表达式无效：${reason}`,
      }),
    );
    return undefined;
  }
}

/** A FEEL value as plain JSON for the variables: dates as ISO text, durations as ISO 8601 durations. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? normalizeFloat(value) : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof FeelDateTime) return value.toString();
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) {
    return value.toString();
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Variables = {};
    for (const [key, entry] of Object.entries(value)) {
      if (key !== '__proto__') out[key] = toJsonValue(entry);
    }
    return out;
  }
  return null;
}
