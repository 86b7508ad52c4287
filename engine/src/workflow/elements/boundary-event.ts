import type { ElementKind } from '../model.ts';
import { compileEventDefinition } from './event-definitions.ts';

/**
 * Boundary events: timers (interrupting or not) start with their activity; error boundaries catch
 * errors thrown inside it. Their tokens are made when they fire (run.triggerBoundary).
 */
export const boundaryEvent: ElementKind = {
  types: ['bpmn:BoundaryEvent'],
  compile(element, node, context) {
    node.attachedTo = element.attachedToRef?.id;
    node.cancelActivity = element.cancelActivity !== false;
    const trigger = compileEventDefinition(element, node, context, ['timer', 'error'], {
      en: 'boundary event',
      'zh-CN': '边界事件',
    });
    if (trigger === 'error' && !node.cancelActivity) {
      context.refuse(node.id, 'non-interrupting-error', {
        en: 'an error boundary event always interrupts its activity',
        'zh-CN': '错误边界事件总是中断其活动',
      });
    }
    if (trigger === 'timer' && node.timer?.kind === 'cycle' && node.cancelActivity) {
      context.refuse(node.id, 'invalid-timer', {
        en: 'only a non-interrupting boundary timer may repeat (timeCycle)',
        'zh-CN': '只有非中断的边界定时器可以重复（timeCycle）',
      });
    }
    if (trigger === 'error' && node.errorCode === undefined) node.errorCode = null;
  },
  enter(run, token) {
    run.leave(token);
  },
};
