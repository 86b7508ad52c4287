// The `crm:approval` settings of a user task as plain data, per the workflow contract:
// mode, ratio, autoApprove, onReject, approver rules, CC, timeout and escalation.

import { attrsOf, create, type ModdleElement } from './extensions.ts';
import type { Modeler } from './modeler.ts';

export const APPROVAL_MODES = ['single', 'any', 'all', 'sequence', 'ratio'] as const;
export const RULE_SOURCES = [
  'users',
  'role',
  'departmentHead',
  'managerChain',
  'userField',
  'expression',
] as const;
export const TIMEOUT_ACTIONS = ['remind', 'escalate', 'approve', 'reject'] as const;
const RULE_ATTRS = ['source', 'value', 'of', 'levels', 'field'] as const;

export interface ApproverRule {
  source: (typeof RULE_SOURCES)[number];
  value?: string;
  of?: string;
  levels?: string;
  field?: string;
}

export interface ApprovalSettings {
  mode: (typeof APPROVAL_MODES)[number];
  ratio?: string;
  autoApprove?: string;
  onReject?: 'end' | 'continue';
  approvers: ApproverRule[];
  cc: ApproverRule[];
  timeout?: { duration: string; action: (typeof TIMEOUT_ACTIONS)[number] };
  escalateTo: ApproverRule[];
}

function rulesOf(approval: ModdleElement, name: string): ApproverRule[] {
  return ((approval.get(name) as ModdleElement[] | undefined) ?? []).map(
    (rule) => attrsOf(rule, RULE_ATTRS) as unknown as ApproverRule,
  );
}

export function readApproval(approval: ModdleElement): ApprovalSettings {
  const attrs = attrsOf(approval, ['mode', 'ratio', 'autoApprove', 'onReject']);
  const timeout = approval.get('timeout') as ModdleElement | undefined;
  const timeoutAttrs = attrsOf(timeout, ['duration', 'action']);
  return {
    mode: (attrs.mode as ApprovalSettings['mode']) ?? 'single',
    ...(attrs.ratio ? { ratio: attrs.ratio } : {}),
    ...(attrs.autoApprove ? { autoApprove: attrs.autoApprove } : {}),
    ...(attrs.onReject ? { onReject: attrs.onReject as 'end' | 'continue' } : {}),
    approvers: rulesOf(approval, 'approvers'),
    cc: rulesOf(approval, 'cc'),
    ...(timeout
      ? {
          timeout: {
            duration: timeoutAttrs.duration ?? '',
            action: (timeoutAttrs.action ?? 'remind') as 'remind',
          },
        }
      : {}),
    escalateTo: rulesOf(approval, 'escalateTo'),
  };
}

/** A new `crm:Approval` moddle element holding `settings`. */
export function buildApproval(modeler: Modeler, settings: ApprovalSettings): ModdleElement {
  const rule = (type: string) => (r: ApproverRule) => create(modeler, type, { ...r });
  const approval = create(modeler, 'crm:Approval', {
    mode: settings.mode,
    ratio: settings.mode === 'ratio' ? settings.ratio : undefined,
    autoApprove: settings.autoApprove,
    onReject: settings.onReject,
  });
  const attach = (name: string, items: ModdleElement[]) => {
    for (const item of items) item.$parent = approval;
    approval[name] = items;
  };
  attach('approvers', settings.approvers.map(rule('crm:Approvers')));
  attach('cc', settings.cc.map(rule('crm:Cc')));
  attach('escalateTo', settings.escalateTo.map(rule('crm:EscalateTo')));
  if (settings.timeout?.duration) {
    const timeout = create(modeler, 'crm:Timeout', settings.timeout);
    timeout.$parent = approval;
    approval.timeout = timeout;
  }
  return approval;
}
