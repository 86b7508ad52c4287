/**
 * Shared types of the FEEL expression layer.
 *
 * Browser-safe: this folder imports nothing server-only (no `node:` modules, no database).
 */

/** The FEEL type a module field is seen as inside an expression. */
export type FeelType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'date'
  | 'date and time'
  | 'list'
  | 'context'
  | 'any';

/** What an expression may read: the module's field names (snake_case ascii) and their FEEL types. */
export interface FeelScope {
  variables: Record<string, FeelType>;
  /**
   * Any free name is a variable of type `any` (workflow variables are not declared up front); the
   * listed variables keep their types. Unknown functions are still refused.
   */
  open?: boolean;
}

/** One problem found while checking an expression; `from`/`to` are offsets into the source. */
export interface FeelProblem {
  message: string;
  from: number;
  to: number;
  kind: 'syntax' | 'unknown-variable' | 'unknown-function';
}

/** The outcome of evaluating an expression: the raw FEEL value and feelin's warnings as messages. */
export interface FeelResult {
  value: unknown;
  warnings: string[];
}

/** An expression parsed and checked once, evaluated many times. */
export interface CompiledFeel {
  source: string;
  /** Scope variables the expression reads (sorted, unique): used for formula dependency order. */
  references: string[];
  /** Whether it calls today() or now(): its value changes with time, not only with its inputs. */
  readsClock: boolean;
  /**
   * `values`: plain JSON record values keyed by variable name; `at`: the instant today() and now()
   * read (the engine's clock; the system clock when absent). Never throws.
   */
  evaluate(values: Record<string, unknown>, at?: Date): FeelResult;
}

/** The storage type a FEEL result is converted to. */
export type ResultType =
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'integer' }
  | { kind: 'decimal'; scale: number }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'datetime' };
