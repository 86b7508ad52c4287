import type { ElementKind } from '../model.ts';

/** Embedded subprocess: a scope token with its own variables; it completes when its last token ends. */
export const subProcess: ElementKind = {
  types: ['bpmn:SubProcess'],
  compile(element, node, context) {
    if (element.triggeredByEvent) {
      context.refuse(node.id, 'unsupported-element', {
        en: 'event subprocesses are not supported',
        'zh-CN': '不支持事件子流程',
      });
      return;
    }
    const starts = (element.flowElements ?? []).filter((child) => child.$type === 'bpmn:StartEvent');
    if (starts.length !== 1 || (starts[0]?.eventDefinitions ?? []).length > 0) {
      context.refuse(node.id, 'subprocess-start', {
        en: 'an embedded subprocess needs exactly one start event, without a trigger',
        'zh-CN': '内嵌子流程必须有且只有一个无触发的开始事件',
      });
      return;
    }
    node.startId = starts[0]?.id;
  },
  enter(run, token, node) {
    token.state = 'scope';
    token.variables ??= {};
    const child = run.newToken(token.id, node.startId as string);
    run.arrive(child, node.startId as string);
  },
};
