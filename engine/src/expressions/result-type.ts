/**
 * The type an expression's result will have, read from its parse tree where that is certain
 * (a comparison is a boolean, `count(…)` a number, a field its own type); `undefined` otherwise.
 * For the designer's hints only: evaluation never depends on it. Browser-safe.
 */
import { parseExpression } from 'feelin';
import { belongsInParseContext } from './names.ts';
import { childrenOf, type FeelNode, nameOf } from './tree.ts';
import type { FeelScope, FeelType } from './types.ts';

const BOOLEAN_FUNCTIONS = new Set([
  'not',
  'is',
  'contains',
  'matches',
  'starts with',
  'ends with',
  'list contains',
  'all',
  'any',
  'is defined',
]);
const NUMBER_FUNCTIONS = new Set([
  'number',
  'string length',
  'count',
  'min',
  'max',
  'sum',
  'mean',
  'product',
  'median',
  'stddev',
  'decimal',
  'floor',
  'ceiling',
  'round up',
  'round down',
  'round half up',
  'round half down',
  'abs',
  'modulo',
  'sqrt',
  'log',
  'exp',
  'odd',
  'even',
  'index of',
  'day of year',
  'week of year',
]);
const STRING_FUNCTIONS = new Set([
  'string',
  'substring',
  'upper case',
  'lower case',
  'substring before',
  'substring after',
  'replace',
  'string join',
  'day of week',
  'month of year',
]);
const LIST_FUNCTIONS = new Set([
  'split',
  'list replace',
  'sublist',
  'append',
  'concatenate',
  'insert before',
  'remove',
  'reverse',
  'union',
  'distinct values',
  'flatten',
  'sort',
  'mode',
]);
const DATE_FUNCTIONS: Record<string, FeelType> = { today: 'date', now: 'date and time' };

export function feelResultType(source: string, scope: FeelScope): FeelType | undefined {
  const context: Record<string, unknown> = {};
  for (const name of Object.keys(scope.variables)) if (belongsInParseContext(name)) context[name] = null;
  let tree: ReturnType<typeof parseExpression>;
  try {
    tree = parseExpression(source, context, undefined);
  } catch {
    return undefined;
  }
  const top = tree.topNode.firstChild;
  return top ? typeOf(top, source, scope) : undefined;
}

function typeOf(node: FeelNode, source: string, scope: FeelScope): FeelType | undefined {
  const children = childrenOf(node);
  switch (node.name) {
    case 'Comparison':
    case 'Conjunction':
    case 'Disjunction':
    case 'BooleanLiteral':
    case 'QuantifiedExpression':
    case 'InstanceOfExpression':
      return 'boolean';
    case 'StringLiteral':
      return 'string';
    case 'NumericLiteral':
      return 'number';
    case 'List':
    case 'ForExpression':
    case 'FilterExpression':
      return 'list';
    case 'Context':
      return 'context';
    case 'ParenthesizedExpression': {
      const inner = children.find((c) => c.name !== '(' && c.name !== ')');
      return inner ? typeOf(inner, source, scope) : undefined;
    }
    case 'VariableName':
      return scope.variables[nameOf(node, source)];
    case 'DateTimeLiteral': {
      const literal = source.slice(node.from, node.to).trimStart();
      if (literal.startsWith('date and time')) return 'date and time';
      if (literal.startsWith('date')) return 'date';
      return undefined;
    }
    case 'IfExpression': {
      const branches = children.filter(
        (_c, i) => i > 0 && ['then', 'else'].includes(children[i - 1]?.name ?? ''),
      );
      const types = branches.map((b) => typeOf(b, source, scope));
      const known = types.filter((t) => t !== undefined && t !== 'any');
      return known.length === types.length && new Set(known).size === 1 ? known[0] : undefined;
    }
    case 'ArithmeticExpression': {
      const operands = children.filter((c) => c.name !== 'ArithOp');
      const types = operands.map((o) => typeOf(o, source, scope));
      if (types.every((t) => t === 'number')) return 'number';
      if (types.length === 2 && types.every((t) => t === 'string')) return 'string';
      return undefined;
    }
    case 'FunctionInvocation': {
      const callee = children[0];
      if (callee?.name !== 'VariableName') return undefined;
      const name = nameOf(callee, source);
      if (BOOLEAN_FUNCTIONS.has(name)) return 'boolean';
      if (NUMBER_FUNCTIONS.has(name)) return 'number';
      if (STRING_FUNCTIONS.has(name)) return 'string';
      if (LIST_FUNCTIONS.has(name)) return 'list';
      return DATE_FUNCTIONS[name];
    }
    default:
      return undefined;
  }
}
