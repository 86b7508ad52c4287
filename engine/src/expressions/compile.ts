/**
 * Compile a FEEL expression once per definition version: parse, check its references against the
 * module's fields, and keep feelin's built interpreter tree to evaluate many times.
 * User text is only ever interpreted by feelin, never turned into JavaScript (no eval/new Function).
 */
import {
  type CompiledExpression,
  compileExpression,
  dateAndTime,
  FeelFunction,
  SyntaxError as FeelSyntaxError,
  date as feelDate,
  parseExpression,
} from 'feelin';
import { ambiguousProblems } from './ambiguous.ts';
import { FeelCompileError } from './errors.ts';
import { belongsInParseContext, isFeelBuiltin } from './names.ts';
import { checkReferences } from './references.ts';
import { syntaxProblems } from './syntax.ts';
import type { FeelTree } from './tree.ts';
import type { CompiledFeel, FeelProblem, FeelResult, FeelScope, FeelType } from './types.ts';
import { toFeelValue } from './values.ts';

interface Analysis {
  compiled: CompiledExpression | null;
  variables: Map<string, FeelType>;
  references: string[];
  readsClock: boolean;
  problems: FeelProblem[];
}

const CLOCK_FUNCTIONS = new Set(['today', 'now']);

/**
 * Parse and check `source` against `scope` and return it ready to evaluate.
 * @throws FeelCompileError listing every syntax error, unknown variable and unknown function
 */
export function compileFeel(source: string, scope: FeelScope): CompiledFeel {
  const analysis = analyze(source, scope);
  if (analysis.problems.length > 0 || analysis.compiled === null) {
    throw new FeelCompileError(source, analysis.problems);
  }
  return compiledFeel(
    source,
    analysis.compiled,
    analysis.references,
    analysis.variables,
    analysis.readsClock,
  );
}

/** The checks of `compileFeel` without throwing, for the designer: every problem, by position. */
export function checkFeel(source: string, scope: FeelScope): FeelProblem[] {
  return analyze(source, scope).problems;
}

function analyze(source: string, scope: FeelScope): Analysis {
  if (typeof source !== 'string') throw new TypeError('FEEL source must be a string');
  const variables = scope.open
    ? new OpenVariables(Object.entries(scope.variables))
    : new Map<string, FeelType>(Object.entries(scope.variables));
  // names must be known to the parser: FEEL names may contain spaces and operator characters
  const parseContext: Record<string, unknown> = {};
  for (const name of variables.keys()) {
    if (belongsInParseContext(name)) Object.defineProperty(parseContext, name, dataProperty(null));
  }

  const problems: FeelProblem[] = [];
  let compiled: CompiledExpression | null = null;
  let tree: FeelTree | null = null;
  try {
    compiled = compileExpression(source, parseContext);
    tree = compiled.parseTree;
  } catch (error) {
    // only an invalid expression is parsed a second time, to list all its errors, not just the first
    try {
      tree = parseExpression(source, parseContext, undefined);
    } catch {
      tree = null;
    }
    const syntax = tree ? syntaxProblems(tree, source) : [];
    problems.push(...(syntax.length > 0 ? syntax : [problemFrom(error, source)]));
  }

  let references: string[] = [];
  let readsClock = false;
  if (tree) {
    readsClock = callsClock(tree, source, variables);
    if (problems.length === 0) problems.push(...ambiguousProblems(tree, source));
    const check = checkReferences(tree, source, variables);
    references = check.references;
    // after a syntax error the recovered tree is guesswork (`"open` reads as a variable `open`),
    // so only names before the first syntax error are reported
    const firstSyntaxError =
      problems.length > 0 ? Math.min(...problems.map((problem) => problem.from)) : Infinity;
    problems.push(...check.problems.filter((problem) => problem.to <= firstSyntaxError));
  }
  problems.sort((a, b) => a.from - b.from || a.to - b.to);
  return { compiled, variables, references, readsClock, problems };
}

/** Whether the tree calls today() or now() (a variable of that name shadows the function). */
function callsClock(tree: FeelTree, source: string, variables: Map<string, FeelType>): boolean {
  const cursor = tree.cursor();
  do {
    if (cursor.name !== 'FunctionInvocation') continue;
    const callee = cursor.node.firstChild;
    const name = callee ? source.slice(callee.from, callee.to).trim() : '';
    if (CLOCK_FUNCTIONS.has(name) && !variables.has(name)) return true;
  } while (cursor.next());
  return false;
}

/** today() and now() at the instant `at`, in the process time zone (as feelin's own read the system clock). */
function clockAt(at: Date): Record<string, FeelFunction> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return {
    today: new FeelFunction(() => feelDate(day), []),
    now: new FeelFunction(() => dateAndTime(at.toISOString()), []),
  };
}

function compiledFeel(
  source: string,
  expression: CompiledExpression,
  references: string[],
  variables: Map<string, FeelType>,
  readsClock: boolean,
): CompiledFeel {
  const inputs = references.map((name) => [name, variables.get(name) as FeelType] as const);
  return {
    source,
    references,
    readsClock,
    evaluate(values: Record<string, unknown>, at?: Date): FeelResult {
      // only the referenced variables, converted to plain FEEL data; a missing one is null. The
      // engine's own today()/now() (never user data) replace feelin's, which read the system clock.
      const context: Record<string, unknown> = readsClock && at ? clockAt(at) : {};
      for (const [name, type] of inputs) {
        const raw = values != null && Object.hasOwn(values, name) ? values[name] : null;
        const value = toFeelValue(raw, type);
        if (name === '__proto__') Object.defineProperty(context, name, dataProperty(value));
        else context[name] = value;
      }
      try {
        const result = expression.run(context);
        return { value: result.value ?? null, warnings: result.warnings.map((warning) => warning.message) };
      } catch (error) {
        return { value: null, warnings: [`Evaluation failed: ${messageOf(error)}`] };
      }
    },
  };
}

/** The variables of an open scope: every name but a FEEL builtin is one, of type `any` unless declared. */
class OpenVariables extends Map<string, FeelType> {
  override has(name: string): boolean {
    return super.has(name) || !isFeelBuiltin(name);
  }

  override get(name: string): FeelType {
    return super.get(name) ?? 'any';
  }
}

function problemFrom(error: unknown, source: string): FeelProblem {
  if (error instanceof FeelSyntaxError && error.position) {
    return { kind: 'syntax', message: error.message, from: error.position.from, to: error.position.to };
  }
  return { kind: 'syntax', message: `Cannot compile: ${messageOf(error)}`, from: 0, to: source.length };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function dataProperty(value: unknown): PropertyDescriptor {
  return { value, enumerable: true, writable: true, configurable: true };
}
