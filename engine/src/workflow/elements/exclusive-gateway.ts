import { ExpressionError } from '../expression.ts';
import type { ElementKind, FlowNode, SequenceFlow } from '../model.ts';
import type { Run, Token } from '../run.ts';

/** Flows whose condition holds (in diagram order), else the default flow; `first` stops at one. */
export function chooseFlows(run: Run, token: Token, node: FlowNode, first: boolean): SequenceFlow[] {
  if (node.outgoing.length <= 1) return node.outgoing;
  const variables = run.variablesOf(token);
  const chosen: SequenceFlow[] = [];
  for (const flow of node.outgoing) {
    if (flow.id === node.defaultFlow || !flow.condition) continue;
    if (flow.condition.evaluate(variables) === true) {
      chosen.push(flow);
      if (first) break;
    }
  }
  if (chosen.length > 0) return chosen;
  const fallback = node.outgoing.find((flow) => flow.id === node.defaultFlow);
  if (fallback) return [fallback];
  throw new ExpressionError('no outgoing flow condition is true and there is no default flow');
}

/** Exclusive gateway: the first flow whose condition holds; a join passes each token through. */
export const exclusiveGateway: ElementKind = {
  types: ['bpmn:ExclusiveGateway'],
  compile() {},
  enter(run, token, node) {
    const [flow] = chooseFlows(run, token, node, true);
    run.record('element-completed', node.id);
    run.take(token, flow ? [flow] : []);
  },
};
