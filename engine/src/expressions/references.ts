/**
 * Reference checking on feelin's lezer parse tree.
 *
 * Every free variable must be a scope variable (a module field) or a FEEL builtin; every called
 * name must be a FEEL builtin or a function defined inside the expression. Names the expression
 * binds itself are not free: `for x in …`, `some/every x in …`, function parameters, context entry
 * keys (visible to later entries), `item` (and, for lists that may hold contexts, the element's
 * properties) inside a filter `list[…]`, `partial` inside `for`, and path segments after a dot.
 */
import { FEEL_BUILTIN_FUNCTIONS, isFeelBuiltin, isUnsupportedFeelFunction } from './names.ts';
import { childrenOf, containsError, type FeelNode, type FeelTree, nameOf } from './tree.ts';
import type { FeelProblem, FeelType } from './types.ts';

export interface ReferenceCheck {
  /** Scope variables the expression reads, sorted and unique. */
  references: string[];
  problems: FeelProblem[];
}

/** Names bound by an enclosing construct. `open`: any other name may be a property of a filtered element. */
interface Frame {
  names: Set<string>;
  open: boolean;
}

const SCALAR_LITERALS = new Set([
  'NumericLiteral',
  'StringLiteral',
  'BooleanLiteral',
  'null',
  'DateTimeLiteral',
]);
const CONTAINER_TYPES: ReadonlySet<FeelType> = new Set<FeelType>(['list', 'context', 'any']);

export function checkReferences(
  tree: FeelTree,
  source: string,
  variables: ReadonlyMap<string, FeelType>,
): ReferenceCheck {
  const walker = new Walker(source, variables);
  walker.walk(tree.topNode, []);
  return { references: [...walker.references].sort(), problems: walker.problems };
}

class Walker {
  readonly references = new Set<string>();
  readonly problems: FeelProblem[] = [];

  constructor(
    private readonly source: string,
    private readonly variables: ReadonlyMap<string, FeelType>,
  ) {}

  walk(node: FeelNode, frames: Frame[]): void {
    switch (node.name) {
      case '⚠':
        return; // reported as a syntax problem
      case 'VariableName':
        this.variable(node, frames);
        return;
      case '?':
        this.problem(
          'unknown-variable',
          '"?" (the input of a unary test) is not available in an expression',
          node,
        );
        return;
      case 'PathExpression':
        // `a.b.c`: only the target is an expression; the segments after a dot are property names
        this.walkFirst(node, frames);
        return;
      case 'InstanceOfExpression':
        // `x instance of T`: the type's name is not a variable
        this.walkFirst(node, frames);
        return;
      case 'FilterExpression':
        this.filter(node, frames);
        return;
      case 'FunctionInvocation':
        this.invocation(node, frames);
        return;
      case 'ForExpression':
      case 'QuantifiedExpression':
        this.iteration(node, frames);
        return;
      case 'FunctionDefinition':
        this.functionDefinition(node, frames);
        return;
      case 'Context':
        this.context(node, frames);
        return;
      case 'NamedParameter':
        // `f(name: value)`: the parameter name is not a variable
        for (const child of childrenOf(node)) {
          if (child.name !== 'ParameterName') this.walk(child, frames);
        }
        return;
      default:
        for (const child of childrenOf(node)) this.walk(child, frames);
    }
  }

  private walkFirst(node: FeelNode, frames: Frame[]): void {
    const first = node.firstChild;
    if (first) this.walk(first, frames);
  }

  private variable(node: FeelNode, frames: Frame[]): void {
    if (containsError(node)) return;
    const name = nameOf(node, this.source);
    if (isBound(name, frames)) return;
    const declared = this.declared(node, name);
    if (declared !== null) {
      this.references.add(declared);
      return;
    }
    if (isUnsupportedFeelFunction(name)) {
      this.problem('unknown-function', unsupported(name), node);
      return;
    }
    if (isFeelBuiltin(name) || frames.some((frame) => frame.open)) return;
    const candidates = [...this.variables.keys(), ...frames.flatMap((frame) => [...frame.names])];
    this.problems.push({
      kind: 'unknown-variable',
      message: `Unknown variable "${name}"${suggestion(name, candidates)}`,
      from: node.from,
      to: node.to,
    });
  }

  /** The scope variable `node` names, if any (feelin also matches names that differ only in spacing). */
  private declared(node: FeelNode, name: string): string | null {
    if (this.variables.has(name)) return name;
    const text = this.source.slice(node.from, node.to).replace(/\s+/g, ' ');
    return this.variables.has(text) ? text : null;
  }

  private invocation(node: FeelNode, frames: Frame[]): void {
    const [callee, ...rest] = childrenOf(node);
    if (callee) this.callee(callee, frames);
    for (const child of rest) this.walk(child, frames);
  }

  private callee(node: FeelNode, frames: Frame[]): void {
    if (node.name === 'VariableName') {
      if (containsError(node)) return;
      const name = nameOf(node, this.source);
      if (isBound(name, frames)) return; // a function defined in the expression
      const declared = this.declared(node, name);
      if (declared !== null) {
        const message = isFeelBuiltin(declared)
          ? `"${declared}" is a field here, which hides the FEEL function ${declared}(); fields hold data and can't be called`
          : `"${declared}" is a field, not a function`;
        this.problem('unknown-function', message, node);
        return;
      }
      if (isFeelBuiltin(name)) return;
      if (isUnsupportedFeelFunction(name)) {
        this.problem('unknown-function', unsupported(name), node);
        return;
      }
      const candidates = [...FEEL_BUILTIN_FUNCTIONS, ...frames.flatMap((frame) => [...frame.names])];
      this.problem('unknown-function', `Unknown function "${name}"${suggestion(name, candidates)}`, node);
      return;
    }
    if (node.name === 'PathExpression') {
      // `field.x(…)`: record values are plain data, so nothing reached from a field is callable
      const root = pathRoot(node);
      if (root.name === 'VariableName' && !containsError(root)) {
        const name = nameOf(root, this.source);
        if (!isBound(name, frames) && this.declared(root, name) !== null) {
          const text = this.source.slice(node.from, node.to);
          this.problem(
            'unknown-function',
            `"${text}" is not a function: fields hold data and can't be called`,
            node,
          );
        }
      }
    }
    this.walk(node, frames);
  }

  /** `list[condition]`: `item` is bound, and so are the properties of context elements. */
  private filter(node: FeelNode, frames: Frame[]): void {
    const [target, ...rest] = childrenOf(node);
    if (!target) return;
    this.walk(target, frames);
    const inner = [...frames, { names: new Set(['item']), open: this.mayHoldContexts(target, frames) }];
    for (const child of rest) this.walk(child, inner);
  }

  /** Whether the elements of `target` may be contexts (whose properties a filter condition can name). */
  private mayHoldContexts(target: FeelNode, frames: Frame[]): boolean {
    if (SCALAR_LITERALS.has(target.name)) return false;
    if (target.name === 'List') {
      return childrenOf(target).some(
        (element) => element.name !== '[' && element.name !== ']' && !SCALAR_LITERALS.has(element.name),
      );
    }
    if (target.name === 'ParenthesizedExpression') {
      const inner = childrenOf(target).find((child) => child.name !== '(' && child.name !== ')');
      return inner ? this.mayHoldContexts(inner, frames) : false;
    }
    if (target.name === 'VariableName') {
      const name = nameOf(target, this.source);
      if (isBound(name, frames)) return true;
      const declared = this.declared(target, name);
      if (declared !== null) return CONTAINER_TYPES.has(this.variables.get(declared) as FeelType);
    }
    return true;
  }

  /** `for x in a, y in x return …` / `some x in … satisfies …`: each name is visible after its `in`. */
  private iteration(node: FeelNode, frames: Frame[]): void {
    const frame: Frame = { names: new Set(), open: false };
    if (node.name === 'ForExpression') frame.names.add('partial');
    const inner = [...frames, frame];
    for (const child of childrenOf(node)) {
      if (child.name !== 'InExpressions') {
        this.walk(child, inner);
        continue;
      }
      for (const inExpression of childrenOf(child)) {
        let bound: string | null = null;
        for (const part of childrenOf(inExpression)) {
          if (part.name === 'Name' && inExpression.name === 'InExpression') bound = nameOf(part, this.source);
          else this.walk(part, inner);
        }
        if (bound !== null) frame.names.add(bound);
      }
    }
  }

  /** `function(a, b) body`: the parameters are bound in the body; parameter types are not variables. */
  private functionDefinition(node: FeelNode, frames: Frame[]): void {
    const frame: Frame = { names: new Set(), open: false };
    for (const child of childrenOf(node)) {
      if (child.name === 'FormalParameters') {
        for (const parameter of childrenOf(child)) {
          const parameterName = parameter.getChild('ParameterName');
          if (parameterName) frame.names.add(parameterNameOf(parameterName, this.source));
        }
      } else if (child.name === 'FunctionBody') {
        this.walk(child, [...frames, frame]);
      }
    }
  }

  /** `{ a: 1, b: a + 1 }`: each key is visible to the entries after it. */
  private context(node: FeelNode, frames: Frame[]): void {
    const frame: Frame = { names: new Set(), open: false };
    const inner = [...frames, frame];
    for (const entry of childrenOf(node)) {
      if (entry.name !== 'ContextEntry') {
        this.walk(entry, inner);
        continue;
      }
      let key: string | null = null;
      for (const part of childrenOf(entry)) {
        if (part.name === 'Key') key = keyOf(part, this.source);
        else this.walk(part, inner);
      }
      if (key !== null) frame.names.add(key);
    }
  }

  private problem(kind: FeelProblem['kind'], message: string, node: FeelNode): void {
    this.problems.push({ kind, message, from: node.from, to: node.to });
  }
}

function unsupported(name: string): string {
  return `The FEEL function ${name}() is not supported (feelin does not implement it)`;
}

function isBound(name: string, frames: Frame[]): boolean {
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i].names.has(name)) return true;
  }
  return false;
}

/** The innermost target of a path `a.b.c` (here `a`). */
function pathRoot(node: FeelNode): FeelNode {
  let current = node;
  while (current.name === 'PathExpression' && current.firstChild) current = current.firstChild;
  return current;
}

function parameterNameOf(node: FeelNode, source: string): string {
  const name = node.getChild('Name');
  return name ? nameOf(name, source) : source.slice(node.from, node.to).trim();
}

/** A context key: a name (`a b`) or a string literal (`"a b"`). */
function keyOf(node: FeelNode, source: string): string | null {
  const child = node.firstChild;
  if (!child) return null;
  if (child.name === 'StringLiteral') {
    const text = source.slice(child.from, child.to);
    try {
      return JSON.parse(text) as string;
    } catch {
      return text.slice(1, -1);
    }
  }
  return nameOf(child, source);
}

/** ` (did you mean "amount"?)` for the closest candidate within a small edit distance, else ''. */
function suggestion(name: string, candidates: Iterable<string>): string {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of new Set(candidates)) {
    if (candidate === name) continue;
    const distance = editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === null ? '' : ` (did you mean "${best}"?)`;
}

/** Levenshtein distance, giving up (returning `cap`) once it can't be below `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= cap) return cap;
    previous = current;
  }
  return previous[b.length];
}
