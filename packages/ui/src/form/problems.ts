/**
 * Problems (the API's problem+json `errors`, or the same problems found in the browser) as rjsf's
 * error tree: `/lines/2/quantity` lands on the quantity cell of the third line.
 */

/** One problem located by a JSON pointer into the record. */
export interface FieldProblem {
  pointer: string;
  /** English text (the API's `detail`, the engine's `message`). */
  detail?: string;
  message?: string;
  messages?: Partial<Record<string, string>>;
}

/** rjsf's ErrorSchema: `__errors` at each node, children by property name or array index. */
export interface ErrorTree {
  __errors?: string[];
  [key: string]: ErrorTree | string[] | undefined;
}

export function problemText(problem: FieldProblem, locale: string): string {
  return (
    problem.messages?.[locale] ??
    problem.messages?.[locale.split('-')[0]] ??
    problem.detail ??
    problem.message ??
    problem.messages?.en ??
    ''
  );
}

function segments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Problems whose first segment names a field of the form go into the tree at their place; the
 * others (the record as a whole, a field the form does not show) are returned to show above it.
 */
export function errorTreeOf(
  problems: readonly FieldProblem[],
  fields: ReadonlySet<string>,
  locale: string,
): { tree: ErrorTree; general: string[] } {
  const tree: ErrorTree = {};
  const general: string[] = [];
  for (const problem of problems) {
    const path = segments(problem.pointer);
    const text = problemText(problem, locale);
    if (path.length === 0 || !fields.has(path[0])) {
      general.push(path.length === 0 ? text : `${path.join('.')}: ${text}`);
      continue;
    }
    // a field's own parts (a money's amount) show on the field; a row's cell on that cell
    const place = path.slice(0, /^\d+$/.test(path[1] ?? '') ? 3 : 1);
    let node = tree;
    for (const key of place) {
      const next = (node[key] as ErrorTree | undefined) ?? {};
      node[key] = next;
      node = next;
    }
    node.__errors = [...(node.__errors ?? []), text];
  }
  return { tree, general };
}

/** The errors at one node of the tree (a field, or a row's cell: `['lines', 2, 'quantity']`). */
export function errorsAt(tree: ErrorTree | undefined, path: readonly (string | number)[]): string[] {
  let node: ErrorTree | undefined = tree;
  for (const key of path) node = node?.[String(key)] as ErrorTree | undefined;
  return node?.__errors ?? [];
}
