/**
 * FEEL expressions: compile once per definition version (parse, check references against the
 * module's fields), evaluate many times, convert values in and out. Browser-safe.
 */
export { checkFeel, compileFeel } from './compile.ts';
export { normalizeFloat, roundDecimal } from './decimal.ts';
export { FeelCompileError } from './errors.ts';
export { type FeelInspection, type FeelTrial, type FeelValueType, inspectFeel, tryFeel } from './inspect.ts';
export {
  FEEL_BUILTIN_FUNCTIONS,
  FEEL_RESERVED_NAMES,
  FEEL_UNSUPPORTED_FUNCTIONS,
  isFeelBuiltin,
  isReservedFeelName,
  isUnsupportedFeelFunction,
} from './names.ts';
export type { CompiledFeel, FeelProblem, FeelResult, FeelScope, FeelType, ResultType } from './types.ts';
export { fromFeelValue, toFeelValue } from './values.ts';
