import { ExpressionError, type Variables } from '../expression.ts';
import type { FlowNode } from '../model.ts';
import type { Run, Token } from '../run.ts';

/**
 * Multi-instance activities: the token becomes the body (a scope) and makes one inner instance per
 * element of the input collection, all at once (parallel) or one after another (sequential). The body
 * completes when every inner instance did, or earlier when the completion condition holds.
 */
export function enterMultiInstance(run: Run, body: Token, node: FlowNode): void {
  const multi = node.multi;
  if (!multi) return;
  const items = multi.inputCollection.evaluate(run.variablesOf(body));
  if (!Array.isArray(items)) {
    throw new ExpressionError(`inputCollection '${multi.inputCollection.source}' is not a list`);
  }
  body.state = 'scope';
  body.variables ??= {};
  body.data.mi = { items, next: 0, completed: 0, active: 0, outputs: items.map(() => null) };
  if (items.length === 0) {
    run.leave(body);
    return;
  }
  const batch = multi.sequential ? 1 : items.length;
  for (let i = 0; i < batch; i++) startInner(run, body, node);
}

function startInner(run: Run, body: Token, node: FlowNode): void {
  const mi = body.data.mi;
  if (!mi) return;
  const index = mi.next++;
  mi.active++;
  const locals: Variables = { loopCounter: index + 1 };
  if (node.multi?.inputElement) locals[node.multi.inputElement] = mi.items[index] ?? null;
  const inner = run.newToken(body.id, node.id, locals);
  inner.data.loopCounter = index + 1;
  run.arrive(inner, node.id);
}

/** An inner instance finished: collect its output, then go on, or complete the body. */
export function innerCompleted(run: Run, inner: Token, node: FlowNode, result: Variables | null): void {
  const body = inner.parentId ? run.tokens.get(inner.parentId) : undefined;
  const mi = body?.data.mi;
  const multi = node.multi;
  if (!body || !mi || !multi) return;
  if (multi.outputElement) {
    const scope = { ...run.variablesOf(inner), ...(result ?? {}) };
    mi.outputs[(inner.data.loopCounter ?? 1) - 1] = multi.outputElement.evaluate(scope);
  }
  run.endTokenQuietly(inner);
  mi.active--;
  mi.completed++;
  let done = mi.completed === mi.items.length;
  if (!done && multi.completion) {
    const variables = {
      ...run.variablesOf(body),
      numberOfInstances: mi.items.length,
      numberOfActiveInstances: mi.active,
      numberOfCompletedInstances: mi.completed,
      ...(multi.outputCollection ? { [multi.outputCollection]: mi.outputs } : {}),
    };
    done = multi.completion.evaluate(variables) === true;
  }
  if (done) {
    for (const other of run.childrenOf(body.id)) run.cancelToken(other);
    run.leave(body);
  } else if (multi.sequential && mi.next < mi.items.length) {
    startInner(run, body, node);
  }
}
