import type { ModdleElement } from 'bpmn-moddle';
import type { FeelScope } from '../../expressions/types.ts';
import type { Expr } from '../expression.ts';
import type { CompileContext, FlowNode } from '../model.ts';

export type TriggerKind = 'created' | 'updated' | 'deleted' | 'manual' | 'api';

/** `crm:trigger` on a start event: what starts the process there. */
export interface TriggerSpec {
  on: TriggerKind;
  /**
   * FEEL; null: always. Record writes: over `old`, `new` and `actor`. A manual action: when it is
   * offered, over `record` (the record's values) and `actor` (the user's id).
   */
  condition: Expr | null;
  /** A manual action's button text. */
  label: { en: string; 'zh-CN': string } | null;
}

/** What a manual action's condition reads: the record's values and the id of the user it is offered to. */
export const MANUAL_ACTION_SCOPE: FeelScope = { variables: { record: 'context', actor: 'string' } };

const KINDS: readonly TriggerKind[] = ['created', 'updated', 'deleted', 'manual', 'api'];
/** Triggers that start a process for a record of its `crm:record` module. */
export const RECORD_TRIGGERS: readonly TriggerKind[] = ['created', 'updated', 'deleted', 'manual'];

/** Reads the `crm:trigger` settings of a start event into `node.triggers`; refuses malformed ones. */
export function compileTriggers(element: ModdleElement, node: FlowNode, context: CompileContext): void {
  const settings = (element.extensionElements?.values ?? []).filter((value) => value.$type === 'crm:Trigger');
  if (settings.length === 0) return;
  if (node.scopeId !== null || node.timer || node.message) {
    context.refuse(node.id, 'trigger-on-event-start', {
      en: 'crm:trigger belongs on a process-level start event without a timer or message',
      'zh-CN': 'crm:trigger 只能用于流程级、不带定时器或消息的开始事件',
    });
    return;
  }
  const triggers: TriggerSpec[] = [];
  const seen = new Set<string>();
  for (const setting of settings) {
    const on = String(setting.on ?? '').trim() as TriggerKind;
    if (!KINDS.includes(on)) {
      context.refuse(node.id, 'invalid-trigger', {
        en: `crm:trigger on='${on}' must be one of ${KINDS.join(', ')}`,
        'zh-CN': `crm:trigger 的 on='${on}' 必须是 ${KINDS.join('、')} 之一`,
      });
      continue;
    }
    if (seen.has(on)) {
      context.refuse(node.id, 'duplicate-trigger', {
        en: `the start event has two crm:trigger on='${on}'`,
        'zh-CN': `该开始事件有两个 on='${on}' 的 crm:trigger`,
      });
      continue;
    }
    seen.add(on);
    const conditionSource = typeof setting.condition === 'string' ? setting.condition.trim() : '';
    if (conditionSource !== '' && on === 'api') {
      context.refuse(node.id, 'trigger-condition', {
        en: 'an api trigger takes no condition (created, updated, deleted and manual do)',
        'zh-CN': 'api 触发器不能带条件（created、updated、deleted 和 manual 可以）',
      });
      continue;
    }
    const condition =
      conditionSource === '' ? null : context.expr(conditionSource, node.id, 'trigger condition', true);
    if (conditionSource !== '' && !condition) continue;
    const en = typeof setting.label === 'string' ? setting.label.trim() : '';
    const zh = typeof setting.labelZh === 'string' ? setting.labelZh.trim() : '';
    if (on === 'manual' && en === '') {
      context.refuse(node.id, 'trigger-label', {
        en: 'a manual trigger needs a label (the button text); labelZh gives the Chinese one',
        'zh-CN': '手动触发器需要 label（按钮文字），labelZh 为中文文字',
      });
      continue;
    }
    triggers.push({
      on,
      condition: condition ?? null,
      label: on === 'manual' ? { en, 'zh-CN': zh || en } : null,
    });
  }
  node.triggers = triggers;
}

/** Whether a start event starts a plain API start (`start()` without naming a start event). */
export function startsByApi(node: FlowNode): boolean {
  return node.triggers === undefined || node.triggers.some((trigger) => trigger.on === 'api');
}
