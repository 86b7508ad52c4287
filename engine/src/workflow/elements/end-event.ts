import type { ElementKind } from '../model.ts';
import { compileEventDefinition } from './event-definitions.ts';

/** End events: none (the token ends), terminate (its whole scope ends), error (thrown to a boundary). */
export const endEvent: ElementKind = {
  types: ['bpmn:EndEvent'],
  compile(element, node, context) {
    const trigger = compileEventDefinition(element, node, context, ['none', 'terminate', 'error'], {
      en: 'end event',
      'zh-CN': '结束事件',
    });
    if (trigger === 'error' && !node.errorCode) {
      context.refuse(node.id, 'missing-error-code', {
        en: 'an error end event needs an error with an errorCode',
        'zh-CN': '错误结束事件需要带 errorCode 的错误',
      });
    }
  },
  enter(run, token, node) {
    run.record('element-completed', node.id);
    if (node.errorCode) {
      run.raiseError(token, node.errorCode, `error ${node.errorCode}`, false);
      return;
    }
    if (node.terminate) {
      const scopeId = token.parentId;
      for (const sibling of run.childrenOf(scopeId)) if (sibling !== token) run.cancelToken(sibling);
      if (scopeId === null) {
        run.endToken(token);
        if (run.instance.state === 'completed') run.instance.state = 'terminated';
        return;
      }
    }
    run.endToken(token);
  },
};
