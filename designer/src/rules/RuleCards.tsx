import { DeleteOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { newId } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { Button, Card, Empty, Form, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FeelCompletion, FeelTarget, FieldDefinition, ModuleDefinition } from '../api.ts';
import { LocaleTextInput } from '../fields/LocaleTextInput.tsx';
import { DESIGNER } from '../messages.ts';
import { FeelEditor } from './FeelEditor.tsx';

export type Rule = NonNullable<ModuleDefinition['rules']>[number];

export interface RuleCardsProps {
  rules: Rule[];
  onChange(rules: Rule[]): void;
  /** The fields the rules read and report their errors on (the module's, or a sub-table row's). */
  fields: FieldDefinition[];
  target: FeelTarget;
  completions: FeelCompletion[];
  onTry(expression: string): void;
  /** Prefix of the cards' test ids: `rule` for the module's rules (`rule-0`, `rule-expression-0`, `add-rule`). */
  testIdPrefix?: string;
}

/**
 * Validation rules, one card each: the FEEL expression that must hold, an optional `when`, the
 * message in each language, the fields the error is shown on, and "try it". Module rules and a
 * sub-table's row rules are both edited with it.
 */
export function RuleCards({
  rules,
  onChange,
  fields,
  target,
  completions,
  onTry,
  testIdPrefix = 'rule',
}: RuleCardsProps) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const change = (index: number, patch: Partial<Rule>) =>
    onChange(rules.map((r, i) => (i === index ? ({ ...r, ...patch } as Rule) : r)));

  return (
    <>
      {rules.length === 0 && <Empty description={t('rules.none')} />}
      {rules.map((rule, index) => (
        <Card
          key={rule.id ?? index}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid={`${testIdPrefix}-${index}`}
          title={<code>{rule.id ?? t('rules.new')}</code>}
          extra={
            <Space>
              <Button size="small" icon={<ExperimentOutlined />} onClick={() => onTry(rule.expression)}>
                {t('try.button')}
              </Button>
              <Button
                size="small"
                danger
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('rules.remove')}
                onClick={() => onChange(rules.filter((_, i) => i !== index))}
              />
            </Space>
          }
        >
          <Form layout="vertical" size="small" component="div">
            <Form.Item label={t('rules.expression')} extra={t('rules.expressionHelp')} required>
              <FeelEditor
                value={rule.expression}
                onChange={(expression) => change(index, { expression })}
                target={target}
                completions={completions}
                testId={`${testIdPrefix}-expression-${index}`}
                minLines={2}
              />
            </Form.Item>
            <Form.Item label={t('rules.when')}>
              <FeelEditor
                value={rule.when ?? ''}
                onChange={(when) => change(index, { when: when || undefined })}
                target={target}
                completions={completions}
                placeholder={t('rules.whenPlaceholder')}
                testId={`${testIdPrefix}-when-${index}`}
              />
            </Form.Item>
            <LocaleTextInput
              label={t('rules.message')}
              value={rule.message}
              onChange={(message) => change(index, { message: message ?? { en: '' } })}
              required
              testId={`${testIdPrefix}-message-${index}`}
            />
            <Form.Item label={t('rules.fields')}>
              <Select
                mode="multiple"
                value={rule.fields ?? []}
                onChange={(names) => change(index, { fields: names.length > 0 ? names : undefined })}
                options={fields.map((f) => ({ value: f.name, label: localize(f.label, f.name) }))}
                data-testid={`${testIdPrefix}-fields-${index}`}
              />
            </Form.Item>
          </Form>
        </Card>
      ))}
      <Button
        icon={<PlusOutlined />}
        data-testid={`add-${testIdPrefix}`}
        onClick={() =>
          onChange([
            ...rules,
            { id: newId('rule'), expression: '', message: { en: 'Invalid value', 'zh-CN': '值无效' } },
          ])
        }
      >
        {t('rules.add')}
      </Button>
    </>
  );
}
