import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useLocalize } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { designerApi, type FeelCompletion } from '../api.ts';
import { FeelEditor } from '../rules/FeelEditor.tsx';
import { ApproverValue } from './ApproverValue.tsx';
import {
  APPROVAL_MODES,
  type ApprovalSettings,
  type ApproverRule,
  buildApproval,
  RULE_SOURCES,
  readApproval,
  TIMEOUT_ACTIONS,
} from './approval-model.ts';
import { attrsOf, create, type DiagramElement, extensionOf, replaceExtension } from './extensions.ts';
import { BPMN } from './messages.ts';
import type { Modeler } from './modeler.ts';
import type { WorkflowActionInfo } from './workflow-api.ts';

interface PanelProps {
  modeler: Modeler;
  element: DiagramElement;
  actions: WorkflowActionInfo[];
}

/**
 * The CRM's own settings of the selected element (the `crm:` extension of the workflow contract):
 * the record a process is about, a start event's trigger, a user task's approval rules and mode, the
 * registered action of a service task. Every change is a modeler command (undo works).
 */
export function CrmPanel({ modeler, element, actions }: PanelProps) {
  const { t } = useTranslation(BPMN);
  const type = element.businessObject.$type;
  let body: React.ReactNode = <Typography.Text type="secondary">{t('crm.nothing')}</Typography.Text>;
  if (type === 'bpmn:Process') body = <RecordSettings modeler={modeler} element={element} />;
  if (type === 'bpmn:StartEvent') body = <TriggerSettings modeler={modeler} element={element} />;
  if (type === 'bpmn:UserTask') body = <ApprovalSettingsForm modeler={modeler} element={element} />;
  if (type === 'bpmn:ServiceTask')
    body = <ActionSettings modeler={modeler} element={element} actions={actions} />;
  return (
    <Card size="small" title={t('crm.title', { id: element.id })} data-testid="crm-panel">
      {body}
    </Card>
  );
}

const RECORD_ATTRS = [
  'module',
  'lock',
  'statusField',
  'pending',
  'approved',
  'rejected',
  'recalled',
] as const;

function RecordSettings({ modeler, element }: Omit<PanelProps, 'actions'>) {
  const { t } = useTranslation(BPMN);
  const localize = useLocalize();
  const modules = useQuery({ queryKey: ['designer', 'modules'], queryFn: designerApi.modules });
  const attrs = attrsOf(extensionOf(element, 'crm:Record'), RECORD_ATTRS);
  const set = (patch: Record<string, unknown>) => {
    const next = { ...attrs, ...patch };
    replaceExtension(
      modeler,
      element,
      'crm:Record',
      next.module
        ? create(modeler, 'crm:Record', { ...next, lock: next.lock === 'true' || next.lock === true })
        : null,
    );
  };
  return (
    <Form layout="vertical" size="small">
      <Form.Item label={t('crm.module')} extra={t('crm.moduleHelp')}>
        <Select
          allowClear
          value={attrs.module}
          onChange={(module) => set({ module })}
          data-testid="crm-record-module"
          options={(modules.data ?? [])
            .filter((m) => m.publishedVersion !== null)
            .map((m) => ({ value: m.name, label: `${localize(m.label, m.name)} (${m.name})` }))}
        />
      </Form.Item>
      {attrs.module && (
        <>
          <Form.Item label={t('crm.lock')}>
            <Switch checked={attrs.lock === 'true'} onChange={(lock) => set({ lock })} />
          </Form.Item>
          <Form.Item label={t('crm.statusField')}>
            <Input value={attrs.statusField ?? ''} onChange={(e) => set({ statusField: e.target.value })} />
          </Form.Item>
          {(['pending', 'approved', 'rejected', 'recalled'] as const).map((key) => (
            <Form.Item key={key} label={t(`crm.status.${key}`)}>
              <Input value={attrs[key] ?? ''} onChange={(e) => set({ [key]: e.target.value })} />
            </Form.Item>
          ))}
        </>
      )}
    </Form>
  );
}

const TRIGGERS = ['created', 'updated', 'deleted', 'manual', 'api'] as const;

/** What a record trigger's condition reads: the record before and after the write, and who wrote. */
const EVENT_COMPLETIONS: FeelCompletion[] = [
  { name: 'old', kind: 'system', feelType: 'context' },
  { name: 'new', kind: 'system', feelType: 'context' },
  { name: 'actor', kind: 'system', feelType: 'string' },
];
/** What a manual action's condition reads: the record's values and the user it is offered to. */
const ACTION_COMPLETIONS: FeelCompletion[] = [
  { name: 'record', kind: 'system', feelType: 'context' },
  { name: 'actor', kind: 'system', feelType: 'string' },
];

function TriggerSettings({ modeler, element }: Omit<PanelProps, 'actions'>) {
  const { t } = useTranslation(BPMN);
  const attrs = attrsOf(extensionOf(element, 'crm:Trigger'), ['on', 'condition', 'label', 'labelZh']);
  const set = (patch: Record<string, string | undefined>) => {
    const next = { ...attrs, ...patch };
    replaceExtension(modeler, element, 'crm:Trigger', next.on ? create(modeler, 'crm:Trigger', next) : null);
  };
  return (
    <Form layout="vertical" size="small">
      <Form.Item label={t('crm.triggerOn')}>
        <Select
          allowClear
          value={attrs.on}
          onChange={(on) => set({ on })}
          data-testid="crm-trigger-on"
          options={TRIGGERS.map((on) => ({ value: on, label: t(`crm.triggers.${on}`) }))}
        />
      </Form.Item>
      {attrs.on && attrs.on !== 'api' && (
        <Form.Item
          label={t(attrs.on === 'manual' ? 'crm.offeredWhen' : 'crm.condition')}
          extra={t(attrs.on === 'manual' ? 'crm.offeredWhenHelp' : 'crm.conditionHelp')}
        >
          {/* keyed by kind: the editor is built once, with the scope it checks against */}
          <FeelEditor
            key={attrs.on}
            value={(attrs.condition ?? '').replace(/^=/, '')}
            onChange={(source) => set({ condition: source.trim() === '' ? undefined : `=${source}` })}
            target={{ scope: attrs.on === 'manual' ? 'record-action' : 'record-event' }}
            completions={attrs.on === 'manual' ? ACTION_COMPLETIONS : EVENT_COMPLETIONS}
            placeholder={attrs.on === 'manual' ? 'record.status != "approved"' : 'new.amount > old.amount'}
            testId="crm-trigger-condition"
          />
        </Form.Item>
      )}
      {attrs.on === 'manual' && (
        <>
          <Form.Item label={t('crm.buttonEn')}>
            <Input
              value={attrs.label ?? ''}
              onChange={(e) => set({ label: e.target.value })}
              data-testid="crm-trigger-label"
            />
          </Form.Item>
          <Form.Item label={t('crm.buttonZh')}>
            <Input
              value={attrs.labelZh ?? ''}
              onChange={(e) => set({ labelZh: e.target.value })}
              data-testid="crm-trigger-label-zh"
            />
          </Form.Item>
        </>
      )}
    </Form>
  );
}

function ApprovalSettingsForm({ modeler, element }: Omit<PanelProps, 'actions'>) {
  const { t } = useTranslation(BPMN);
  const approval = extensionOf(element, 'crm:Approval');
  if (!approval) {
    return (
      <Space orientation="vertical">
        <Typography.Text type="secondary">{t('crm.noApproval')}</Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="make-approval"
          onClick={() =>
            replaceExtension(
              modeler,
              element,
              'crm:Approval',
              buildApproval(modeler, {
                mode: 'single',
                approvers: [{ source: 'departmentHead', of: 'submitter' }],
                cc: [],
                escalateTo: [],
              }),
            )
          }
        >
          {t('crm.makeApproval')}
        </Button>
      </Space>
    );
  }
  const settings = readApproval(approval);
  const set = (patch: Partial<ApprovalSettings>) =>
    replaceExtension(modeler, element, 'crm:Approval', buildApproval(modeler, { ...settings, ...patch }));
  return (
    <Form layout="vertical" size="small" data-testid="approval-form">
      <Form.Item label={t('crm.mode')}>
        <Select
          value={settings.mode}
          onChange={(mode) => set({ mode })}
          data-testid="approval-mode"
          options={APPROVAL_MODES.map((mode) => ({ value: mode, label: t(`crm.modes.${mode}`) }))}
        />
      </Form.Item>
      {settings.mode === 'ratio' && (
        <Form.Item label={t('crm.ratio')}>
          <InputNumber
            min={0.01}
            max={1}
            step={0.05}
            value={Number(settings.ratio ?? 0.5)}
            onChange={(v) => set({ ratio: String(v ?? 0.5) })}
          />
        </Form.Item>
      )}
      <RuleList
        label={t('crm.approvers')}
        rules={settings.approvers}
        onChange={(approvers) => set({ approvers })}
        testId="approvers"
      />
      <RuleList label={t('crm.cc')} rules={settings.cc} onChange={(cc) => set({ cc })} testId="cc" />
      <Form.Item label={t('crm.autoApprove')}>
        <Select
          mode="multiple"
          allowClear
          value={settings.autoApprove ? settings.autoApprove.split(/\s+/).filter(Boolean) : []}
          onChange={(values) => set({ autoApprove: values.join(' ') || undefined })}
          options={['submitter', 'previous'].map((v) => ({ value: v, label: t(`crm.auto.${v}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('crm.onReject')}>
        <Select
          value={settings.onReject ?? 'end'}
          onChange={(onReject) => set({ onReject })}
          options={['end', 'continue'].map((v) => ({ value: v, label: t(`crm.reject.${v}`) }))}
        />
      </Form.Item>
      <Form.Item label={t('crm.timeout')} extra={t('crm.timeoutHelp')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            placeholder="PT48H"
            value={settings.timeout?.duration ?? ''}
            onChange={(e) =>
              set({
                timeout: e.target.value
                  ? { duration: e.target.value, action: settings.timeout?.action ?? 'remind' }
                  : undefined,
              })
            }
          />
          <Select
            style={{ width: 140 }}
            value={settings.timeout?.action ?? 'remind'}
            disabled={!settings.timeout}
            onChange={(action) => settings.timeout && set({ timeout: { ...settings.timeout, action } })}
            options={TIMEOUT_ACTIONS.map((a) => ({ value: a, label: t(`crm.timeoutActions.${a}`) }))}
          />
        </Space.Compact>
      </Form.Item>
      {settings.timeout?.action === 'escalate' && (
        <RuleList
          label={t('crm.escalateTo')}
          rules={settings.escalateTo}
          onChange={(escalateTo) => set({ escalateTo })}
        />
      )}
    </Form>
  );
}

function RuleList({
  label,
  rules,
  onChange,
  testId,
}: {
  label: string;
  rules: ApproverRule[];
  onChange(rules: ApproverRule[]): void;
  testId?: string;
}) {
  const { t } = useTranslation(BPMN);
  const change = (index: number, rule: ApproverRule) =>
    onChange(rules.map((r, i) => (i === index ? rule : r)));
  return (
    <Form.Item label={label}>
      <Space orientation="vertical" style={{ width: '100%' }} data-testid={testId}>
        {rules.map((rule, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rules are edited in place
          <Space.Compact key={index} style={{ width: '100%' }}>
            <Select
              style={{ width: 150 }}
              data-testid={testId && `${testId}-source-${index}`}
              value={rule.source}
              onChange={(source) => change(index, { source })}
              options={RULE_SOURCES.map((s) => ({ value: s, label: t(`crm.sources.${s}`) }))}
            />
            {rule.source === 'managerChain' && (
              <InputNumber
                min={1}
                max={10}
                value={Number(rule.levels ?? 1)}
                onChange={(v) => change(index, { ...rule, levels: String(v ?? 1) })}
                addonAfter={t('crm.levels')}
              />
            )}
            {rule.source === 'userField' ? (
              <Input
                placeholder={t('crm.fieldName')}
                value={rule.field ?? ''}
                onChange={(e) => change(index, { ...rule, field: e.target.value })}
              />
            ) : rule.source === 'departmentHead' || rule.source === 'managerChain' ? (
              <Input
                placeholder="submitter"
                value={rule.of ?? ''}
                onChange={(e) => change(index, { ...rule, of: e.target.value })}
              />
            ) : (
              <ApproverValue
                rule={rule}
                onChange={(value) => change(index, { ...rule, value })}
                testId={testId && `${testId}-value-${index}`}
              />
            )}
            <Button icon={<DeleteOutlined />} onClick={() => onChange(rules.filter((_, i) => i !== index))} />
          </Space.Compact>
        ))}
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => onChange([...rules, { source: 'role', value: '' }])}
        >
          {t('crm.addRule')}
        </Button>
      </Space>
    </Form.Item>
  );
}

function ActionSettings({ modeler, element, actions }: PanelProps) {
  const { t } = useTranslation(BPMN);
  const localize = useLocalize();
  const definition = extensionOf(element, 'zeebe:TaskDefinition');
  const current = attrsOf(definition, ['type', 'retries']);
  const action = actions.find((a) => a.type === current.type);
  return (
    <Form layout="vertical" size="small">
      <Form.Item label={t('crm.action')}>
        <Select
          value={current.type}
          data-testid="service-action"
          onChange={(type) =>
            replaceExtension(
              modeler,
              element,
              'zeebe:TaskDefinition',
              create(modeler, 'zeebe:TaskDefinition', { ...current, type }),
            )
          }
          options={actions.map((a) => ({ value: a.type, label: `${localize(a.label, a.type)} (${a.type})` }))}
        />
      </Form.Item>
      {current.type && !action && <Typography.Text type="danger">{t('crm.unknownAction')}</Typography.Text>}
      {action && (
        <>
          {action.description && <Typography.Paragraph>{localize(action.description)}</Typography.Paragraph>}
          <ParameterList title={t('crm.inputs')} parameters={action.inputs} />
          <ParameterList title={t('crm.headers')} parameters={action.headers} />
          <ParameterList title={t('crm.outputs')} parameters={action.outputs} />
          <Typography.Text type="secondary">{t('crm.mappingHelp')}</Typography.Text>
        </>
      )}
    </Form>
  );
}

function ParameterList({ title, parameters }: { title: string; parameters: WorkflowActionInfo['inputs'] }) {
  const localize = useLocalize();
  if (parameters.length === 0) return null;
  return (
    <div style={{ marginBottom: 8 }}>
      <Typography.Text strong>{title}</Typography.Text>
      <ul style={{ margin: 0, paddingInlineStart: 18 }}>
        {parameters.map((p) => (
          <li key={p.name}>
            <code>{p.name}</code>{' '}
            <Typography.Text type="secondary">
              ({p.type}
              {p.required ? ', *' : ''})
            </Typography.Text>{' '}
            {localize(p.description)}
          </li>
        ))}
      </ul>
    </div>
  );
}
