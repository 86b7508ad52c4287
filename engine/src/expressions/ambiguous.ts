/**
 * Expressions that parse, but not as they read. In FEEL's grammar (feelin follows it) `in` takes
 * everything after it as its test, so `x in ["a", "b"] and y` is `x in (["a", "b"] and y)`: x is
 * tested against a boolean, never matching the list, with no error or warning. An unparenthesized
 * `and`/`or` right after `in` is therefore refused, naming the fix.
 */
import type { FeelTree } from './tree.ts';
import type { FeelProblem } from './types.ts';

export function ambiguousProblems(tree: FeelTree, source: string): FeelProblem[] {
  const problems: FeelProblem[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'PositiveUnaryTest' || ref.node.parent?.name !== 'Comparison') return;
      const test = ref.node.firstChild;
      if (test?.name !== 'Conjunction' && test?.name !== 'Disjunction') return;
      const comparison = ref.node.parent;
      const value = source.slice(comparison.from, ref.from).trim();
      const operator = test.name === 'Conjunction' ? 'and' : 'or';
      const first = test.firstChild;
      const list = first ? source.slice(first.from, first.to) : '…';
      problems.push({
        kind: 'syntax',
        message:
          `"${source.slice(comparison.from, comparison.to)}" reads as "${value} (${source.slice(test.from, test.to)})": ` +
          `"in" takes everything after it as its test. Write "(${value} ${list}) ${operator} …"`,
        from: comparison.from,
        to: comparison.to,
      });
    },
  });
  return problems;
}
