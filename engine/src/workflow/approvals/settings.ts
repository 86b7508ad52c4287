import type { ModdleElement } from 'bpmn-moddle';
import type { Expr } from '../expression.ts';
import type { CompileContext } from '../model.ts';
import { parseDuration } from '../timers.ts';

export type ApprovalMode = 'single' | 'any' | 'all' | 'sequence' | 'ratio';
export type RuleSource = 'users' | 'role' | 'departmentHead' | 'managerChain' | 'userField' | 'expression';
export type TimeoutAction = 'remind' | 'escalate' | 'approve' | 'reject';

/** One `crm:approvers` / `crm:cc` / `crm:escalateTo` rule: where users come from. */
export interface ApproverRule {
  source: RuleSource;
  /** users, role, expression: the list, the role id, the FEEL expression. */
  value: Expr | null;
  /** departmentHead, managerChain: whose (null: the submitter; `approver`: the current approver). */
  of: Expr | 'submitter' | 'approver';
  levels: number;
  field: string | null;
  /** How the rule reads in an incident: `role=sales_director`. */
  label: string;
}

/** The `crm:approval` settings of a user task, compiled once per definition version. */
export interface ApprovalSettings {
  mode: ApprovalMode;
  ratio: number;
  autoApprove: { submitter: boolean; previous: boolean };
  onReject: 'end' | 'continue';
  approvers: ApproverRule[];
  cc: ApproverRule[];
  timeout: { duration: string; action: TimeoutAction } | null;
  escalateTo: ApproverRule[];
}

const MODES = new Set(['single', 'any', 'all', 'sequence', 'ratio']);
const SOURCES = new Set(['users', 'role', 'departmentHead', 'managerChain', 'userField', 'expression']);
const TIMEOUT_ACTIONS = new Set(['remind', 'escalate', 'approve', 'reject']);

type Refuse = (attribute: string, en: string, zh: string) => void;

/** Checks and compiles `crm:approval` on user task `id`; every problem names the element and the attribute. */
export function compileApproval(
  element: ModdleElement,
  id: string,
  context: CompileContext,
): ApprovalSettings | undefined {
  const before = context.problems.length;
  const refuse: Refuse = (attribute, en, zh) =>
    context.refuse(id, 'invalid-approval', {
      en: `crm:approval ${attribute}: ${en}`,
      'zh-CN': `crm:approval ${attribute}：${zh}`,
    });
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : undefined);

  const mode = text(element.mode) ?? 'single';
  if (!MODES.has(mode))
    refuse(
      'mode',
      'must be single, any, all, sequence or ratio',
      '必须是 single、any、all、sequence 或 ratio',
    );
  let ratio = 1;
  if (mode === 'ratio') {
    ratio = Number(text(element.ratio));
    if (!(ratio > 0 && ratio <= 1))
      refuse('ratio', 'must be a number above 0 and at most 1', '必须是大于 0、不超过 1 的数');
  } else if (element.ratio !== undefined) {
    refuse('ratio', 'is only for mode="ratio"', '只用于 mode="ratio"');
  }
  const autoWords = (text(element.autoApprove) ?? '').split(/\s+/).filter(Boolean);
  for (const word of autoWords) {
    if (word !== 'submitter' && word !== 'previous') {
      refuse('autoApprove', `'${word}' is not submitter or previous`, `'${word}' 不是 submitter 或 previous`);
    }
  }
  const onReject = text(element.onReject) ?? 'end';
  if (onReject !== 'end' && onReject !== 'continue')
    refuse('onReject', 'must be end or continue', '必须是 end 或 continue');

  const rules = (list: unknown, tag: string) =>
    ((list as ModdleElement[] | undefined) ?? [])
      .map((rule, index) => compileRule(rule, `${tag}[${index + 1}]`, id, context, refuse))
      .filter((rule): rule is ApproverRule => rule !== undefined);
  const approvers = rules(element.approvers, 'crm:approvers');
  if (approvers.length === 0 && !context.problems.slice(before).length) {
    refuse('crm:approvers', 'at least one approver rule is needed', '至少需要一条审批人规则');
  }
  let timeout: ApprovalSettings['timeout'] = null;
  const first = element.timeout as ModdleElement | undefined;
  if (first) {
    const duration = text(first.duration) ?? '';
    const action = text(first.action) ?? '';
    if (!parseDuration(duration))
      refuse(
        'crm:timeout duration',
        `'${duration}' is not an ISO 8601 duration (PT48H)`,
        `'${duration}' 不是 ISO 8601 时长（PT48H）`,
      );
    if (!TIMEOUT_ACTIONS.has(action))
      refuse(
        'crm:timeout action',
        'must be remind, escalate, approve or reject',
        '必须是 remind、escalate、approve 或 reject',
      );
    timeout = { duration, action: action as TimeoutAction };
  }
  const escalateTo = rules(element.escalateTo, 'crm:escalateTo');
  if (timeout?.action === 'escalate' && escalateTo.length === 0) {
    refuse('crm:escalateTo', 'a timeout that escalates needs crm:escalateTo', '超时升级需要 crm:escalateTo');
  }
  const cc = rules(element.cc, 'crm:cc');
  if (context.problems.length > before) return undefined;
  return {
    mode: mode as ApprovalMode,
    ratio,
    autoApprove: { submitter: autoWords.includes('submitter'), previous: autoWords.includes('previous') },
    onReject: onReject as 'end' | 'continue',
    approvers,
    cc,
    timeout,
    escalateTo,
  };
}

function compileRule(
  rule: ModdleElement,
  tag: string,
  id: string,
  context: CompileContext,
  refuse: Refuse,
): ApproverRule | undefined {
  const source = typeof rule.source === 'string' ? rule.source : '';
  if (!SOURCES.has(source)) {
    refuse(
      `${tag} source`,
      'must be users, role, departmentHead, managerChain, userField or expression',
      '必须是 users、role、departmentHead、managerChain、userField 或 expression',
    );
    return undefined;
  }
  const raw = (name: string) => (typeof rule[name] === 'string' ? (rule[name] as string).trim() : '');
  const needs = (name: string) => {
    if (raw(name) === '')
      refuse(`${tag} ${name}`, `source="${source}" needs ${name}`, `source="${source}" 需要 ${name}`);
  };
  let value: Expr | null = null;
  if (source === 'users' || source === 'role' || source === 'expression') {
    needs('value');
    if (source === 'expression' && raw('value') !== '' && !raw('value').startsWith('=')) {
      refuse(`${tag} value`, 'an expression starts with =', '表达式以 = 开头');
    }
    value = context.expr(raw('value'), id, `${tag} value`) ?? null;
  }
  let of: ApproverRule['of'] = 'submitter';
  const ofText = raw('of');
  if (ofText === 'approver') of = 'approver';
  else if (ofText.startsWith('=')) of = context.expr(ofText, id, `${tag} of`) ?? 'submitter';
  else if (ofText !== '' && ofText !== 'submitter') {
    refuse(
      `${tag} of`,
      'must be submitter, approver or a FEEL expression (=…)',
      '必须是 submitter、approver 或 FEEL 表达式（=…）',
    );
  }
  let levels = 1;
  if (source === 'managerChain') {
    levels = raw('levels') === '' ? 1 : Number(raw('levels'));
    if (!Number.isInteger(levels) || levels < 1 || levels > 20) {
      refuse(`${tag} levels`, 'must be a whole number from 1 to 20', '必须是 1 到 20 的整数');
    }
  }
  if (source === 'userField') needs('field');
  const label = `${source}${raw('value') ? `=${raw('value')}` : ''}${raw('field') ? ` field=${raw('field')}` : ''}${source === 'managerChain' ? ` levels=${levels}` : ''}`;
  return { source: source as RuleSource, value, of, levels, field: raw('field') || null, label };
}
