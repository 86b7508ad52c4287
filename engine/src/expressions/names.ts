/**
 * Names FEEL gives a meaning of its own: builtin functions and grammar keywords.
 */

/**
 * feelin 8.2's builtin functions (DMN 1.5 plus feelin's extras), by their FEEL name.
 * `names.test.ts` checks each one against feelin, so an upgrade that drops one is noticed.
 */
export const FEEL_BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set([
  // conversion
  'number',
  'string',
  'date',
  'date and time',
  'time',
  'duration',
  'years and months duration',
  'now',
  'today',
  // boolean
  'not',
  'is',
  // string
  'substring',
  'string length',
  'upper case',
  'lower case',
  'substring before',
  'substring after',
  'replace',
  'contains',
  'matches',
  'starts with',
  'ends with',
  'split',
  'string join',
  // list
  'list contains',
  'list replace',
  'count',
  'min',
  'max',
  'sum',
  'mean',
  'all',
  'any',
  'sublist',
  'append',
  'concatenate',
  'insert before',
  'remove',
  'reverse',
  'index of',
  'union',
  'distinct values',
  'flatten',
  'product',
  'median',
  'stddev',
  'mode',
  'sort',
  // numeric
  'decimal',
  'floor',
  'ceiling',
  'abs',
  'round up',
  'round down',
  'round half up',
  'round half down',
  'modulo',
  'sqrt',
  'log',
  'exp',
  'odd',
  'even',
  // range
  'before',
  'after',
  'meets',
  'met by',
  'overlaps',
  'includes',
  // temporal
  'day of year',
  'day of week',
  'month of year',
  'week of year',
  // context
  'get value',
  'get entries',
  'context',
  'context merge',
  'context put',
]);

/**
 * Range functions feelin 8.2 declares but does not implement (calling one throws "not implemented"),
 * so an expression using one is rejected when it is compiled rather than failing when evaluated.
 */
export const FEEL_UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'overlaps before',
  'overlaps after',
  'finishes',
  'finished by',
  'during',
  'starts',
  'started by',
  'coincides',
]);

/**
 * Grammar keywords and literals. A variable with one of these names can't be referenced (`in + 1`
 * is a syntax error, `null` is the null literal; `of` and `not` only happen to work in some
 * positions), so field names must avoid them.
 */
export const FEEL_RESERVED_NAMES: ReadonlySet<string> = new Set([
  'for',
  'in',
  'return',
  'if',
  'then',
  'else',
  'some',
  'every',
  'satisfies',
  'or',
  'and',
  'between',
  'instance',
  'of',
  'function',
  'external',
  'null',
  'true',
  'false',
  'not',
]);

/**
 * Words the grammar treats specially in some positions only (`date("…")`, `list<number>`,
 * `days and time duration`). A variable of that name works as a plain value (`date > today()`),
 * but announcing it to the parser would turn `date("2024-01-01")` into a call of the variable,
 * so such names are left out of the parse context.
 */
const CONTEXTUAL_KEYWORDS: ReadonlySet<string> = new Set([
  'date',
  'time',
  'duration',
  'days',
  'years',
  'months',
  'list',
  'context',
]);

/** Whether `name` is a FEEL builtin function name (`sum`, `string length`, …). */
export function isFeelBuiltin(name: string): boolean {
  return FEEL_BUILTIN_FUNCTIONS.has(name);
}

/** Whether `name` is a FEEL builtin that feelin does not implement (see FEEL_UNSUPPORTED_FUNCTIONS). */
export function isUnsupportedFeelFunction(name: string): boolean {
  return FEEL_UNSUPPORTED_FUNCTIONS.has(name);
}

/** Whether `name` can't be used as a variable name in FEEL at all (a keyword or literal). */
export function isReservedFeelName(name: string): boolean {
  return FEEL_RESERVED_NAMES.has(name);
}

/** Whether the parser should be told about a variable called `name` (see CONTEXTUAL_KEYWORDS). */
export function belongsInParseContext(name: string): boolean {
  return !FEEL_RESERVED_NAMES.has(name) && !CONTEXTUAL_KEYWORDS.has(name);
}
