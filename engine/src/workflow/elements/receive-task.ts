import type { ElementKind } from '../model.ts';
import { compileEventDefinition } from './event-definitions.ts';

/** Receive tasks wait for their message, like a message catch event. */
export const receiveTask: ElementKind = {
  types: ['bpmn:ReceiveTask'],
  compile(element, node, context) {
    // a receive task names its message directly; read it as a message event definition would be
    const asEvent = {
      ...element,
      eventDefinitions: [{ $type: 'bpmn:MessageEventDefinition', messageRef: element.messageRef }],
    };
    compileEventDefinition(asEvent, node, context, ['message'], { en: 'receive task', 'zh-CN': '接收任务' });
  },
  enter(run, token, node) {
    run.subscribe(token, node);
    run.wait(token, 'message');
  },
};
