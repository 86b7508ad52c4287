/**
 * Syntax problems: every error node of feelin's (error-recovering) lezer parse tree, at the same
 * positions feelin's own SyntaxError reports for the first one, with messages meant for the designer.
 */
import type { FeelNode, FeelTree } from './tree.ts';
import type { FeelProblem } from './types.ts';

/** Friendly names of the constructs the parser can be left inside of. */
const CONSTRUCTS: Record<string, string> = {
  ArithmeticExpression: 'arithmetic expression',
  Comparison: 'comparison',
  Conjunction: '"and" expression',
  Disjunction: '"or" expression',
  IfExpression: '"if … then … else" expression',
  ForExpression: '"for … in … return" expression',
  QuantifiedExpression: '"some/every … in … satisfies" expression',
  FunctionInvocation: 'function call',
  FunctionDefinition: 'function definition',
  FilterExpression: 'filter',
  PathExpression: 'path',
  List: 'list',
  Context: 'context',
  ContextEntry: 'context entry',
  ParenthesizedExpression: 'parenthesized expression',
  InstanceOfExpression: '"instance of" expression',
  Interval: 'range',
  StringLiteral: 'string',
};

/** Enough to fix an expression by; a pathological one (thousands of unclosed parentheses) stops here. */
const MAX_PROBLEMS = 50;

export function syntaxProblems(tree: FeelTree, source: string): FeelProblem[] {
  if (source.trim() === '') {
    return [{ kind: 'syntax', message: 'The expression is empty', from: 0, to: source.length }];
  }
  const problems: FeelProblem[] = [];
  const seen = new Set<string>();
  tree.iterate({
    enter(ref) {
      if (problems.length >= MAX_PROBLEMS) return false;
      if (!ref.type.isError) return true;
      const problem = describeError(ref.node, source);
      const key = `${problem.from}:${problem.to}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(problem);
      }
      return false;
    },
  });
  return problems;
}

function describeError(node: FeelNode, source: string): FeelProblem {
  const { from, to } = node;
  if (from !== to) {
    return { kind: 'syntax', message: `Unexpected ${quote(source.slice(from, to))}`, from, to };
  }
  const next = nextNode(node);
  if (next) {
    return {
      kind: 'syntax',
      message: `Unexpected ${quote(source.slice(next.from, next.to))}`,
      from: next.from,
      to: next.to,
    };
  }
  const parent = node.parent;
  const unfinished = parent?.enterUnfinishedNodesBefore(to) ?? parent;
  const construct = unfinished ? CONSTRUCTS[unfinished.name] : undefined;
  const message = construct ? `Incomplete ${construct}` : 'The expression ends too early';
  return { kind: 'syntax', message, from, to };
}

/** The next node after `node` in source order, looking through its ancestors' siblings. */
function nextNode(node: FeelNode): FeelNode | null {
  for (let current: FeelNode | null = node; current; current = current.parent) {
    if (current.nextSibling) return current.nextSibling;
  }
  return null;
}

function quote(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'end of expression';
  return JSON.stringify(trimmed.length > 30 ? `${trimmed.slice(0, 30)}…` : trimmed);
}
