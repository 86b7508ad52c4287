import { DeleteOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { newId } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { Button, Card, Col, Empty, Form, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeelTarget, ModuleDefinition } from '../api.ts';
import { LocaleTextInput } from '../fields/LocaleTextInput.tsx';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';
import { FeelEditor } from './FeelEditor.tsx';
import { TryPanel } from './TryPanel.tsx';
import { useCompletions } from './useCompletions.ts';

type Rule = NonNullable<ModuleDefinition['rules']>[number];

/** The module's validation rules and its formulas, each a FEEL expression, with "try it" beside them. */
export function RulesPanel({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const definition = draft.definition;
  const completions = useCompletions(definition);
  const [trying, setTrying] = useState<{ expression: string; target: FeelTarget } | undefined>(undefined);
  const formulaNames = definition?.fields.filter((f) => f.type === 'formula').map((f) => f.name) ?? [];
  if (!definition) return null;
  const rules = definition.rules ?? [];
  const setRules = (next: Rule[]) =>
    draft.update((d) => ({ ...d, rules: next.length > 0 ? next : undefined }));
  const change = (index: number, patch: Partial<Rule>) =>
    setRules(rules.map((r, i) => (i === index ? ({ ...r, ...patch } as Rule) : r)));
  const target: FeelTarget = { definition };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={14}>
        <Typography.Title level={5}>{t('rules.title')}</Typography.Title>
        {rules.length === 0 && <Empty description={t('rules.none')} />}
        {rules.map((rule, index) => (
          <Card
            key={rule.id ?? index}
            size="small"
            style={{ marginBottom: 12 }}
            data-testid={`rule-${index}`}
            title={<code>{rule.id ?? t('rules.new')}</code>}
            extra={
              <Space>
                <Button
                  size="small"
                  icon={<ExperimentOutlined />}
                  onClick={() => setTrying({ expression: rule.expression, target })}
                >
                  {t('try.button')}
                </Button>
                <Button
                  size="small"
                  danger
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('rules.remove')}
                  onClick={() => setRules(rules.filter((_, i) => i !== index))}
                />
              </Space>
            }
          >
            <Form layout="vertical" size="small">
              <Form.Item label={t('rules.expression')} extra={t('rules.expressionHelp')} required>
                <FeelEditor
                  value={rule.expression}
                  onChange={(expression) => change(index, { expression })}
                  target={target}
                  completions={completions}
                  testId={`rule-expression-${index}`}
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
                />
              </Form.Item>
              <LocaleTextInput
                label={t('rules.message')}
                value={rule.message}
                onChange={(message) => change(index, { message: message ?? { en: '' } })}
                required
                testId={`rule-message-${index}`}
              />
              <Form.Item label={t('rules.fields')}>
                <Select
                  mode="multiple"
                  value={rule.fields ?? []}
                  onChange={(fields) => change(index, { fields: fields.length > 0 ? fields : undefined })}
                  options={definition.fields.map((f) => ({
                    value: f.name,
                    label: localize(f.label, f.name),
                  }))}
                />
              </Form.Item>
            </Form>
          </Card>
        ))}
        <Button
          icon={<PlusOutlined />}
          data-testid="add-rule"
          onClick={() =>
            setRules([
              ...rules,
              { id: newId('rule'), expression: '', message: { en: 'Invalid value', 'zh-CN': '值无效' } },
            ])
          }
        >
          {t('rules.add')}
        </Button>
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t('rules.formulas')}
        </Typography.Title>
        {formulaNames.length === 0 && (
          <Typography.Text type="secondary">{t('rules.noFormulas')}</Typography.Text>
        )}
        {formulaNames.map((name) => (
          <FormulaCard key={name} name={name} draft={draft} onTry={setTrying} />
        ))}
      </Col>
      <Col xs={24} lg={10}>
        <TryPanel definition={definition} moduleId={draft.state?.id ?? definition.id} initial={trying} />
      </Col>
    </Row>
  );
}

function FormulaCard({
  name,
  draft,
  onTry,
}: {
  name: string;
  draft: ModuleDraft;
  onTry(value: { expression: string; target: FeelTarget }): void;
}) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const definition = draft.definition as ModuleDefinition;
  const field = definition.fields.find((f) => f.name === name);
  const completions = useCompletions(definition, name);
  const [resultType, setResultType] = useState<string | null>(null);
  if (!field) return null;
  const target: FeelTarget = { definition, field: name };
  const expression = typeof field.expression === 'string' ? field.expression : '';
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={
        <>
          {localize(field.label, name)} <code>{name}</code> <Tag>{String(field.resultType ?? '')}</Tag>
        </>
      }
      extra={
        <Button size="small" icon={<ExperimentOutlined />} onClick={() => onTry({ expression, target })}>
          {t('try.button')}
        </Button>
      }
    >
      <FeelEditor
        value={expression}
        onChange={(value) =>
          draft.update((d) => ({
            ...d,
            fields: d.fields.map((f) => (f.name === name ? { ...f, expression: value } : f)),
          }))
        }
        target={target}
        completions={completions}
        onChecked={(result) => setResultType(result.resultType)}
        testId={`formula-${name}`}
        minLines={2}
      />
      {resultType && (
        <Typography.Text type="secondary">{t('feel.resultType', { type: resultType })}</Typography.Text>
      )}
    </Card>
  );
}
