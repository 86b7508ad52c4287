import { ExperimentOutlined } from '@ant-design/icons';
import { useLocalize } from '@crm/ui';
import { Button, Card, Col, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeelTarget, ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';
import { FeelEditor } from './FeelEditor.tsx';
import { type Rule, RuleCards } from './RuleCards.tsx';
import { TryPanel } from './TryPanel.tsx';
import { useCompletions } from './useCompletions.ts';

/** The module's validation rules and its formulas, each a FEEL expression, with "try it" beside them. */
export function RulesPanel({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const definition = draft.definition;
  const completions = useCompletions(definition);
  const [trying, setTrying] = useState<{ expression: string; target: FeelTarget } | undefined>(undefined);
  const formulaNames = definition?.fields.filter((f) => f.type === 'formula').map((f) => f.name) ?? [];
  if (!definition) return null;
  const rules = definition.rules ?? [];
  const setRules = (next: Rule[]) =>
    draft.update((d) => ({ ...d, rules: next.length > 0 ? next : undefined }));
  const target: FeelTarget = { definition };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={14}>
        <Typography.Title level={5}>{t('rules.title')}</Typography.Title>
        <RuleCards
          rules={rules}
          onChange={setRules}
          fields={definition.fields}
          target={target}
          completions={completions}
          onTry={(expression) => setTrying({ expression, target })}
        />
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
