import type { ElementKind, FlowNode } from '../model.ts';

/**
 * Event-based gateway: waits for whichever of the following catch events (timers, messages) happens
 * first; the others are dropped. The waits belong to the gateway's token.
 */
export const eventBasedGateway: ElementKind = {
  types: ['bpmn:EventBasedGateway'],
  compile() {},
  enter(run, token, node) {
    for (const flow of node.outgoing) {
      const target = run.node(flow.target);
      if (target.timer) run.scheduleTimer(token, target);
      else run.subscribe(token, target);
    }
    run.wait(token, 'event-gateway');
  },
};

/** Lint run after flows are known: targets must be timer or message catch events reached only from here. */
export function eventGatewayProblems(
  nodes: Map<string, FlowNode>,
  refuse: (id: string, code: string, messages: { en: string; 'zh-CN': string }) => void,
): void {
  for (const node of nodes.values()) {
    if (node.type !== 'eventBasedGateway') continue;
    if (node.outgoing.length < 2) {
      refuse(node.id, 'event-gateway-targets', {
        en: 'an event-based gateway needs at least two outgoing flows',
        'zh-CN': '事件网关至少需要两条流出的顺序流',
      });
    }
    for (const flow of node.outgoing) {
      const target = nodes.get(flow.target);
      if (target?.type !== 'intermediateCatchEvent' || target.incoming.length !== 1) {
        refuse(flow.target, 'event-gateway-targets', {
          en: 'after an event-based gateway must come timer or message catch events with no other incoming flow',
          'zh-CN': '事件网关之后必须是只有这一条流入的定时或消息捕获事件',
        });
      }
    }
  }
}
