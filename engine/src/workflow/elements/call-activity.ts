import { uuidv7 } from 'uuidv7';
import { ExpressionError } from '../expression.ts';
import type { ElementKind } from '../model.ts';

/**
 * Call activity: starts the latest version of another process (`zeebe:calledElement processId`) in the
 * same transaction and waits; the child's completion comes back as a job on this instance.
 */
export const callActivity: ElementKind = {
  types: ['bpmn:CallActivity'],
  compile(element, node, context) {
    const called = context.extension(element, 'zeebe:CalledElement');
    const processId = context.expr(called?.processId as string | undefined, node.id, 'processId');
    if (!processId) {
      context.refuse(node.id, 'missing-called-element', {
        en: 'a call activity needs zeebe:calledElement processId',
        'zh-CN': '调用活动需要 zeebe:calledElement 的 processId',
      });
      return;
    }
    node.called = {
      processId,
      propagateAllChildVariables: called?.propagateAllChildVariables !== false,
      propagateAllParentVariables: called?.propagateAllParentVariables !== false,
    };
  },
  enter(run, token, node) {
    const called = node.called;
    if (!called) return;
    const variables = run.variablesOf(token);
    const processId = called.processId.evaluate(variables);
    if (typeof processId !== 'string' || processId === '') {
      throw new ExpressionError(`the called process id '${called.processId.source}' is not a text`);
    }
    const instanceId = uuidv7();
    run.children.push({
      instanceId,
      processId,
      variables: called.propagateAllParentVariables ? variables : { ...(token.variables ?? {}) },
      parentTokenId: token.id,
    });
    token.data.calledInstance = instanceId;
    run.wait(token, 'call');
  },
};
