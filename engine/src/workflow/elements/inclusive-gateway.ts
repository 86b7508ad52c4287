import { ExpressionError } from '../expression.ts';
import type { ElementKind } from '../model.ts';
import type { Run, Token } from '../run.ts';
import { chooseFlows } from './exclusive-gateway.ts';

/**
 * Inclusive gateway: forks along every flow whose condition holds (else the default flow); a join
 * waits until no other token of its scope can still reach it, then continues once.
 */
export const inclusiveGateway: ElementKind = {
  types: ['bpmn:InclusiveGateway'],
  compile() {},
  enter(run, token, node) {
    if (node.incoming.length > 1) {
      token.state = 'joining';
      return; // fired by fireReadyInclusiveJoins once nothing else can arrive
    }
    fork(run, token);
  },
};

function fork(run: Run, token: Token): void {
  const node = run.node(token.elementId);
  const flows = chooseFlows(run, token, node, false);
  run.record('element-completed', node.id);
  run.take(token, flows);
}

/** Fires inclusive joins nothing can reach any more; true when one fired (the run goes on). */
export function fireReadyInclusiveJoins(run: Run): boolean {
  for (const token of run.tokens.values()) {
    if (token.state !== 'joining') continue;
    const node = run.node(token.elementId);
    if (node.type !== 'inclusiveGateway' || !node.reachableFrom) continue;
    const scope = run.childrenOf(token.parentId);
    const blocked = scope.some(
      (other) =>
        !(other.elementId === node.id && other.state === 'joining') &&
        node.reachableFrom?.has(other.elementId),
    );
    if (blocked) continue;
    for (const other of scope) {
      if (other !== token && other.elementId === node.id && other.state === 'joining')
        run.endTokenQuietly(other);
    }
    token.state = 'active';
    try {
      fork(run, token);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      run.incident(token, 'expression', error.message);
    }
    return true;
  }
  return false;
}
