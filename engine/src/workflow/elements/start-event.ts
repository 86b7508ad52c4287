import type { ElementKind } from '../model.ts';
import { compileTriggers } from '../triggers/compile.ts';
import { compileEventDefinition } from './event-definitions.ts';

/**
 * Start events: none (API, call activity, subprocess; with `crm:trigger` record events and manual
 * actions), timer and message (process level only).
 */
export const startEvent: ElementKind = {
  types: ['bpmn:StartEvent'],
  compile(element, node, context) {
    const allowed = node.scopeId === null ? (['none', 'timer', 'message'] as const) : (['none'] as const);
    compileEventDefinition(element, node, context, [...allowed], { en: 'start event', 'zh-CN': '开始事件' });
    compileTriggers(element, node, context);
  },
  enter(run, token) {
    run.leave(token);
  },
};
