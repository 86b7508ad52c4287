import type { ElementKind } from '../model.ts';
import { compileEventDefinition } from './event-definitions.ts';

/** Timer and message intermediate catch events: the token waits for the timer or the message. */
export const intermediateCatchEvent: ElementKind = {
  types: ['bpmn:IntermediateCatchEvent'],
  compile(element, node, context) {
    compileEventDefinition(element, node, context, ['timer', 'message'], {
      en: 'intermediate catch event',
      'zh-CN': '中间捕获事件',
    });
    if (node.timer?.kind === 'cycle') {
      context.refuse(node.id, 'invalid-timer', {
        en: 'an intermediate timer waits for a duration or a date, not a cycle',
        'zh-CN': '中间定时事件只能等待时长或日期，不能是周期',
      });
    }
  },
  enter(run, token, node) {
    if (node.timer) {
      run.scheduleTimer(token, node);
      run.wait(token, 'timer');
    } else {
      run.subscribe(token, node);
      run.wait(token, 'message');
    }
  },
};
