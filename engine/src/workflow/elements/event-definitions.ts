import type { ModdleElement } from 'bpmn-moddle';
import type { CompileContext, FlowNode } from '../model.ts';
import { isValidTimer, type TimerKind } from '../timers.ts';

export type EventTrigger = 'none' | 'timer' | 'message' | 'error' | 'terminate';

const TRIGGERS: Record<string, EventTrigger> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TerminateEventDefinition': 'terminate',
};

const TRIGGER_NAMES: Record<EventTrigger, string> = {
  none: 'none',
  timer: 'timer',
  message: 'message',
  error: 'error',
  terminate: 'terminate',
};

/**
 * Reads an event's definition (one at most) into `node` when its trigger is among `allowed`;
 * refuses other triggers naming the event kind.
 */
export function compileEventDefinition(
  element: ModdleElement,
  node: FlowNode,
  context: CompileContext,
  allowed: EventTrigger[],
  what: { en: string; 'zh-CN': string },
): EventTrigger | null {
  const definitions = element.eventDefinitions ?? [];
  if (definitions.length > 1) {
    context.refuse(node.id, 'multiple-event-definitions', {
      en: 'an event may have only one trigger',
      'zh-CN': '一个事件只能有一个触发器',
    });
    return null;
  }
  const definition = definitions[0];
  const trigger: EventTrigger | undefined = definition ? TRIGGERS[definition.$type] : 'none';
  if (!trigger || !allowed.includes(trigger)) {
    const name = definition ? definition.$type.replace('bpmn:', '').replace('EventDefinition', '') : 'none';
    context.refuse(node.id, 'unsupported-event', {
      en: `a ${name} ${what.en} is not supported (supported: ${allowed.map((t) => TRIGGER_NAMES[t]).join(', ')})`,
      'zh-CN': `不支持 ${name} 类型的${what['zh-CN']}（支持：${allowed.join('、')}）`,
    });
    return null;
  }
  if (!definition) return trigger;
  if (trigger === 'timer') compileTimer(definition, node, context);
  if (trigger === 'message') compileMessage(definition, node, context, node.type !== 'startEvent');
  if (trigger === 'error') {
    const code = definition.errorRef?.errorCode;
    node.errorCode = code === undefined || code === '' ? null : code;
  }
  if (trigger === 'terminate') node.terminate = true;
  return trigger;
}

function compileTimer(definition: ModdleElement, node: FlowNode, context: CompileContext): void {
  const kinds: [TimerKind, ModdleElement | undefined][] = [
    ['duration', definition.timeDuration],
    ['date', definition.timeDate],
    ['cycle', definition.timeCycle],
  ];
  const set = kinds.filter(([, value]) => value?.body !== undefined && value.body.trim() !== '');
  if (set.length !== 1) {
    context.refuse(node.id, 'invalid-timer', {
      en: 'a timer needs exactly one of timeDuration, timeDate or timeCycle',
      'zh-CN': '定时器必须且只能设置 timeDuration、timeDate、timeCycle 之一',
    });
    return;
  }
  const [kind, value] = set[0] as [TimerKind, ModdleElement];
  const source = (value.body as string).trim();
  if (!source.startsWith('=') && !isValidTimer(kind, source)) {
    context.refuse(node.id, 'invalid-timer', {
      en: `'${source}' is not a valid ISO 8601 ${kind}`,
      'zh-CN': `'${source}' 不是有效的 ISO 8601 ${kind === 'duration' ? '时长' : kind === 'date' ? '日期时间' : '周期'}`,
    });
    return;
  }
  const expr = context.expr(source, node.id, `timer ${kind}`);
  if (expr) node.timer = { kind, value: expr };
}

function compileMessage(
  definition: ModdleElement,
  node: FlowNode,
  context: CompileContext,
  needsKey: boolean,
): void {
  const message = definition.messageRef;
  const name = message?.name;
  if (!message || !name) {
    context.refuse(node.id, 'missing-message', {
      en: 'the event needs a message with a name',
      'zh-CN': '该事件需要一个有名称的消息',
    });
    return;
  }
  const subscription = context.extension(message, 'zeebe:Subscription');
  const keySource = subscription?.correlationKey as string | undefined;
  if (needsKey && !keySource) {
    context.refuse(node.id, 'missing-correlation-key', {
      en: `message '${name}' needs zeebe:subscription correlationKey`,
      'zh-CN': `消息 '${name}' 需要 zeebe:subscription 的 correlationKey`,
    });
    return;
  }
  const nameExpr = context.expr(name, node.id, 'message name');
  const key = needsKey ? context.expr(keySource, node.id, 'correlationKey', true) : undefined;
  if (nameExpr) node.message = { name: nameExpr, correlationKey: key ?? null };
}
