/** One condition of the list's filter, as the list API takes it. */
export interface Condition {
  field: string;
  op: string;
  value?: unknown;
}

/** The filter language's AND of `conditions` (undefined when there are none). */
export function filterOf(conditions: Condition[]): object | undefined {
  const complete = conditions.filter((c) => c.field && c.op);
  if (complete.length === 0) return undefined;
  if (complete.length === 1) return complete[0];
  return { and: complete };
}

function isCondition(node: unknown): node is Condition {
  return typeof node === 'object' && node !== null && 'field' in node && 'op' in node;
}

/** The conditions of a filter this builder made (a condition, or an AND of them); [] for anything else. */
export function conditionsOf(filter: unknown): Condition[] {
  if (isCondition(filter)) return [filter];
  if (typeof filter === 'object' && filter !== null && 'and' in filter) {
    const list = (filter as { and: unknown }).and;
    if (Array.isArray(list) && list.every(isCondition)) return list;
  }
  return [];
}
