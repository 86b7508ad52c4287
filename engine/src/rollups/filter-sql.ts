/**
 * A rollup's FEEL filter compiled to an SQL condition over the source rows, so the aggregate runs in
 * one statement. Only a checked subset of FEEL is accepted: comparisons (=, !=, <, <=, >, >=,
 * between, in), and/or/not, null checks, literals (numbers, strings, booleans, null, date(…),
 * date and time(…)) and the source rows' field names. Anything else is refused with the reason.
 *
 * Null follows FEEL: `x = null` is IS NULL, `x != 1` holds for a null x (IS DISTINCT FROM), an
 * ordering comparison with null is null, and a row counts only when the whole condition is true.
 */
import { type SQL, sql } from 'drizzle-orm';
import { parseExpression } from 'feelin';
import type { FieldDefinition } from '../definitions/types.ts';
import { childrenOf, containsError, type FeelNode, nameOf } from '../expressions/tree.ts';
import { formulaResult } from '../fields/formula.ts';
import { rollupResult } from '../fields/rollup.ts';

type Kind = 'number' | 'text' | 'uuid' | 'boolean' | 'date' | 'datetime' | 'null';

export interface FilterProblem {
  message: string;
}

export type CompiledFilter =
  | { ok: true; sql: SQL; references: string[]; parentReferences: string[] }
  | { ok: false; problem: string };

/**
 * The record a sub-table row belongs to, as a filter over rows may read it (`parent.status`): its
 * module's name (for messages), its fields and its SQL alias. Absent: the source rows have no parent.
 */
export interface FilterParent {
  module: string;
  fields: FieldDefinition[];
  alias: string;
}

/** The name a filter reads the parent record of a sub-table row by. */
export const PARENT = 'parent';

const TEXT_TYPES = new Set(['text', 'longText', 'email', 'phone', 'url', 'select']);
const NUMBER_TYPES = new Set(['integer', 'decimal', 'percent', 'money']);
const UUID_TYPES = new Set(['user', 'department', 'relation']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPERATORS: Record<string, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** The kind of value a field's main column holds, as the filter compares it; undefined: not filterable. */
export function filterKind(field: FieldDefinition): Kind | undefined {
  if (TEXT_TYPES.has(field.type)) return 'text';
  if (NUMBER_TYPES.has(field.type)) return 'number';
  if (UUID_TYPES.has(field.type)) return 'uuid';
  if (field.type === 'boolean') return 'boolean';
  if (field.type === 'date') return 'date';
  if (field.type === 'datetime') return 'datetime';
  if (field.type === 'formula') {
    const result = formulaResult(field);
    if (result === 'text' || result === 'boolean' || result === 'date' || result === 'datetime')
      return result;
    return 'number';
  }
  if (field.type === 'rollup') {
    const result = rollupResult(field);
    return result === 'integer' ? 'number' : result;
  }
  return undefined;
}

class Refused extends Error {}

interface Operand {
  sql: SQL;
  kind: Kind;
}

/**
 * Compiles `source` over the fields of a source row, seen through the SQL alias `alias`, and (for
 * rows of a sub-table) the fields of the row's parent record as `parent.<field>`.
 */
export function compileFilterSql(
  source: string,
  fields: FieldDefinition[],
  alias: string,
  parent?: FilterParent,
): CompiledFilter {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const context: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f.name, null]));
  // a row field named `parent` keeps its name: the parent record is then out of reach
  const parentName = byName.has(PARENT) ? undefined : PARENT;
  if (parentName) context[parentName] = Object.fromEntries((parent?.fields ?? []).map((f) => [f.name, null]));
  let tree: ReturnType<typeof parseExpression>;
  try {
    tree = parseExpression(source, context, undefined);
  } catch (error) {
    return { ok: false, problem: `not a valid expression: ${(error as Error).message}` };
  }
  if (containsError(tree.topNode)) return { ok: false, problem: 'not a valid expression (syntax error)' };
  const references = new Set<string>();
  const parentReferences = new Set<string>();
  const text = (node: FeelNode) => source.slice(node.from, node.to);
  const refuse = (node: FeelNode, why: string): never => {
    throw new Refused(`'${text(node)}' ${why}`);
  };

  const operand = (node: FeelNode): Operand => {
    switch (node.name) {
      case 'ParenthesizedExpression':
        return operand(inner(node));
      case 'VariableName': {
        const name = nameOf(node, source);
        const field = byName.get(name);
        if (!field) refuse(node, 'is not a field of the source rows');
        const kind = filterKind(field as FieldDefinition);
        if (!kind)
          refuse(node, `is a ${(field as FieldDefinition).type} field, which a filter cannot compare`);
        references.add(name);
        return { sql: sql`${sql.identifier(alias)}.${sql.identifier(name)}`, kind: kind as Kind };
      }
      case 'PathExpression':
        return parentOperand(node);
      case 'NumericLiteral': {
        const value = Number(text(node).replace(/\s+/g, ''));
        if (!Number.isFinite(value)) refuse(node, 'is not a number');
        return { sql: sql`${value}::numeric`, kind: 'number' };
      }
      case 'StringLiteral':
        return { sql: sql`${stringValue(node)}::text`, kind: 'text' };
      case 'BooleanLiteral':
        return { sql: text(node) === 'true' ? sql`TRUE` : sql`FALSE`, kind: 'boolean' };
      case 'null':
        return { sql: sql`NULL`, kind: 'null' };
      case 'DateTimeLiteral': {
        const kindName = text(node.firstChild as FeelNode).replace(/\s+/g, ' ');
        const params = childrenOf(node).find((c) => c.name === 'PositionalParameters');
        const args = params ? childrenOf(params) : [];
        if (args.length !== 1 || args[0].name !== 'StringLiteral') refuse(node, 'needs one text argument');
        const value = stringValue(args[0]);
        if (kindName === 'date' && /^\d{4}-\d\d-\d\d$/.test(value)) {
          return { sql: sql`${value}::date`, kind: 'date' };
        }
        if (kindName === 'date and time' && !Number.isNaN(Date.parse(value))) {
          return { sql: sql`${value}::timestamptz`, kind: 'datetime' };
        }
        return refuse(node, 'is not a date(…) or date and time(…) with a valid value');
      }
      default:
        return refuse(node, 'is not supported in a rollup filter (fields, literals and comparisons only)');
    }
  };

  /** `parent.<field>`: a field of the record the row belongs to (entered fields only). */
  const parentOperand = (node: FeelNode): Operand => {
    const [base, , path] = childrenOf(node);
    if (base?.name !== 'VariableName' || nameOf(base, source) !== parentName || path?.name !== 'PathName') {
      return refuse(
        node,
        'is not supported in a rollup filter (fields, parent.<field>, literals and comparisons only)',
      );
    }
    if (!parent) return refuse(node, 'reads a parent, but only rows of a sub-table have one');
    const name = nameOf(path, source);
    const field = parent.fields.find((f) => f.name === name);
    if (!field) return refuse(node, `is not a field of the parent ${parent.module} record`);
    if (field.type === 'formula' || field.type === 'rollup') {
      return refuse(
        node,
        `is a ${field.type} of the parent: a filter reads the parent's entered fields only`,
      );
    }
    const kind = filterKind(field);
    if (!kind) return refuse(node, `is a ${field.type} field, which a filter cannot compare`);
    parentReferences.add(name);
    return { sql: sql`${sql.identifier(parent.alias)}.${sql.identifier(name)}`, kind };
  };

  const stringValue = (node: FeelNode): string => {
    try {
      return JSON.parse(text(node)) as string;
    } catch {
      return refuse(node, 'is a text with escapes a filter does not support');
    }
  };

  const comparable = (node: FeelNode, a: Operand, b: Operand) => {
    if (a.kind === 'null' || b.kind === 'null' || a.kind === b.kind) return;
    if (a.kind === 'uuid' && b.kind === 'text') return;
    if (b.kind === 'uuid' && a.kind === 'text') return;
    refuse(node, `compares a ${a.kind} with a ${b.kind}`);
  };

  /** A uuid column compared with a text literal: the text must be a uuid, or Postgres would fail. */
  const asUuid = (node: FeelNode, a: Operand, b: Operand): [Operand, Operand] => {
    const fix = (x: Operand, other: Operand, at: FeelNode): Operand => {
      if (!(x.kind === 'text' && other.kind === 'uuid')) return x;
      const literal = at.name === 'StringLiteral' ? stringValue(at) : undefined;
      if (literal === undefined || !UUID.test(literal))
        refuse(node, 'compares an id with a text that is no id');
      return { sql: sql`${literal}::uuid`, kind: 'uuid' };
    };
    const [left, , right] = childrenOf(node);
    return [fix(a, b, left), fix(b, a, right)];
  };

  const condition = (node: FeelNode): SQL => {
    switch (node.name) {
      case 'ParenthesizedExpression':
        return sql`(${condition(inner(node))})`;
      case 'Disjunction':
      case 'Conjunction': {
        const parts = childrenOf(node).filter((c) => c.name !== 'or' && c.name !== 'and');
        const joiner = node.name === 'Disjunction' ? sql` OR ` : sql` AND `;
        return sql`(${sql.join(parts.map(condition), joiner)})`;
      }
      case 'FunctionInvocation': {
        const [callee, ...rest] = childrenOf(node);
        const params = rest.find((c) => c.name === 'PositionalParameters');
        const args = params ? childrenOf(params) : [];
        if (text(callee) !== 'not' || args.length !== 1)
          refuse(node, 'calls a function (only not(…) is supported)');
        return sql`(NOT ${condition(args[0])})`;
      }
      case 'VariableName':
      case 'PathExpression':
      case 'BooleanLiteral': {
        const value = operand(node);
        if (value.kind !== 'boolean') refuse(node, 'is not a true/false value');
        return sql`(${value.sql} = TRUE)`;
      }
      case 'Comparison':
        return comparison(node);
      default:
        return refuse(node, 'is not supported in a rollup filter (comparisons joined by and/or/not only)');
    }
  };

  const comparison = (node: FeelNode): SQL => {
    const children = childrenOf(node);
    const op = children[1];
    if (op.name === 'CompareOp') {
      let [a, b] = [operand(children[0]), operand(children[2])];
      comparable(node, a, b);
      [a, b] = asUuid(node, a, b);
      const symbol = text(op);
      if (symbol === '=' || symbol === '!=') {
        const negate = symbol === '!=';
        if (a.kind === 'null' && b.kind === 'null') return negate ? sql`FALSE` : sql`TRUE`;
        if (b.kind === 'null') return negate ? sql`(${a.sql} IS NOT NULL)` : sql`(${a.sql} IS NULL)`;
        if (a.kind === 'null') return negate ? sql`(${b.sql} IS NOT NULL)` : sql`(${b.sql} IS NULL)`;
        return negate
          ? sql`(${a.sql} IS DISTINCT FROM ${b.sql})`
          : sql`(${a.sql} IS NOT DISTINCT FROM ${b.sql})`;
      }
      if (a.kind === 'boolean' || a.kind === 'uuid' || a.kind === 'null' || b.kind === 'null') {
        refuse(node, `orders values that have no order (${a.kind}, ${b.kind})`);
      }
      return sql`(${a.sql} ${sql.raw(OPERATORS[symbol])} ${b.sql})`;
    }
    if (op.name === 'between') {
      const value = operand(children[0]);
      const low = operand(children[2]);
      const high = operand(children[4]);
      comparable(node, value, low);
      comparable(node, value, high);
      return sql`(${value.sql} BETWEEN ${low.sql} AND ${high.sql})`;
    }
    if (op.name === 'in') {
      const value = operand(children[0]);
      const tests = children.slice(2).filter((c) => c.name !== '(' && c.name !== ')');
      const items = tests.flatMap((t) => (t.name === 'PositiveUnaryTests' ? childrenOf(t) : [t]));
      const literals = items.flatMap((item) => {
        const expression = item.name === 'PositiveUnaryTest' ? (item.firstChild as FeelNode) : item;
        if (expression.name === 'List')
          return childrenOf(expression).filter((c) => c.name !== '[' && c.name !== ']');
        return [expression];
      });
      if (literals.length === 0) refuse(node, 'tests against an empty list');
      const list = literals.map((literal) => {
        if (
          !['NumericLiteral', 'StringLiteral', 'BooleanLiteral', 'DateTimeLiteral'].includes(literal.name)
        ) {
          refuse(literal, 'is not a literal (an `in` list holds literals only)');
        }
        const item = operand(literal);
        comparable(node, value, item);
        return value.kind === 'uuid' ? asUuidLiteral(literal) : item.sql;
      });
      return sql`coalesce(${value.sql} IN (${sql.join(list, sql`, `)}), FALSE)`;
    }
    return refuse(node, 'is a comparison a rollup filter does not support');
  };

  const asUuidLiteral = (literal: FeelNode): SQL => {
    const value = literal.name === 'StringLiteral' ? stringValue(literal) : '';
    if (!UUID.test(value)) refuse(literal, 'is not an id');
    return sql`${value}::uuid`;
  };

  try {
    const top = tree.topNode.firstChild;
    if (!top) return { ok: false, problem: 'the filter is empty' };
    const compiled = condition(top);
    return {
      ok: true,
      sql: compiled,
      references: [...references].sort(),
      parentReferences: [...parentReferences].sort(),
    };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.message };
    throw error;
  }
}

function inner(node: FeelNode): FeelNode {
  const child = childrenOf(node).find((c) => c.name !== '(' && c.name !== ')');
  if (!child) throw new Refused('() is empty');
  return child;
}
