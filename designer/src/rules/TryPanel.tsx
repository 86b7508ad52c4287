import { useLocalize } from '@crm/ui';
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  designerApi,
  type FeelTarget,
  type FeelTrial,
  type FieldDefinition,
  type ModuleDefinition,
} from '../api.ts';
import { useErrorText } from '../errors.ts';
import { DESIGNER } from '../messages.ts';
import { sampleRecord } from '../preview/sample-data.ts';
import { FeelEditor } from './FeelEditor.tsx';
import { useCompletions } from './useCompletions.ts';

/**
 * "Try it": evaluate an expression against sample values (JSON, prefilled from the fields) or an
 * existing record (read with your own access), and show the result with its type, or the error. For
 * an expression over a sub-table's rows (`initial.target.subtable`) the sample is one row.
 */
export function TryPanel({
  definition,
  moduleId,
  initial,
}: {
  definition: ModuleDefinition;
  moduleId: string;
  initial?: { expression: string; target: FeelTarget };
}) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const errorText = useErrorText();
  const [expression, setExpression] = useState(initial?.expression ?? '');
  const [target, setTarget] = useState<FeelTarget>(initial?.target ?? { definition });
  const fields = fieldsOf(definition, target.subtable);
  const [chosen, setSource] = useState<'sample' | 'record'>('sample');
  const source = target.subtable === undefined ? chosen : 'sample';
  const [sample, setSample] = useState(() =>
    JSON.stringify(sampleRecord({ ...definition, fields }), null, 2),
  );
  const [recordId, setRecordId] = useState('');
  const [result, setResult] = useState<FeelTrial | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const completions = useCompletions(definition, target.field, target.subtable);

  useEffect(() => {
    if (initial) {
      setExpression(initial.expression);
      setTarget(initial.target);
      setResult(undefined);
    }
  }, [initial]);

  const run = async () => {
    setFailure(undefined);
    setResult(undefined);
    let input: { record: object } | { recordId: string };
    if (source === 'sample') {
      try {
        input = { record: JSON.parse(sample) };
      } catch {
        setFailure(t('fields.invalidJson'));
        return;
      }
    } else input = { recordId: recordId.trim() };
    setRunning(true);
    try {
      // a record is read from the published module; sample values go against the edited definition
      const where =
        source === 'record' ? { module: moduleId, field: target.field } : { ...target, definition };
      setResult(await designerApi.feelEvaluate(where, expression, input));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card size="small" title={t('try.title')} data-testid="try-panel">
      <Form layout="vertical" size="small">
        <Form.Item label={t('rules.expression')}>
          <FeelEditor
            value={expression}
            onChange={setExpression}
            target={target}
            completions={completions}
            testId="try-expression"
            minLines={2}
          />
        </Form.Item>
        {target.subtable === undefined ? (
          <Radio.Group value={source} onChange={(e) => setSource(e.target.value)} style={{ marginBottom: 8 }}>
            <Radio.Button value="sample">{t('try.sample')}</Radio.Button>
            <Radio.Button value="record">{t('try.record')}</Radio.Button>
          </Radio.Group>
        ) : (
          <Typography.Text type="secondary">{t('try.sampleRow')}</Typography.Text>
        )}
        {source === 'sample' ? (
          <Input.TextArea
            autoSize={{ minRows: 4, maxRows: 14 }}
            value={sample}
            onChange={(e) => setSample(e.target.value)}
            style={{ fontFamily: 'ui-monospace, monospace' }}
            data-testid="try-sample"
          />
        ) : (
          <Input
            placeholder={t('try.recordId')}
            value={recordId}
            onChange={(e) => setRecordId(e.target.value)}
            data-testid="try-record-id"
          />
        )}
        <Button
          type="primary"
          onClick={() => void run()}
          loading={running}
          style={{ marginTop: 8 }}
          data-testid="try-run"
        >
          {t('try.run')}
        </Button>
      </Form>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginTop: 8 }} />}
      {result?.ok === true && (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 8 }} data-testid="try-result">
          <Descriptions.Item label={t('try.value')}>
            <code>{JSON.stringify(result.value)}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('try.type')}>{result.type}</Descriptions.Item>
          {result.warnings.length > 0 && (
            <Descriptions.Item label={t('try.warnings')}>
              {result.warnings.map((w) => (
                <Typography.Text key={w} type="warning" style={{ display: 'block' }}>
                  {w}
                </Typography.Text>
              ))}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {result?.ok === false && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={t('try.problems')}
          description={result.problems.map((p) => (
            <div key={`${p.from}-${p.message}`}>
              {t('try.at', { from: p.from })}: {p.message}
            </div>
          ))}
          data-testid="try-problems"
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {localize({ en: 'Fields: ', 'zh-CN': '字段：' })}
        {fields.map((f) => f.name).join(', ')}
      </Typography.Paragraph>
    </Card>
  );
}

/** The fields an expression of the target reads: the module's, or one row's of its sub-table. */
function fieldsOf(definition: ModuleDefinition, subtable: string | undefined): FieldDefinition[] {
  if (subtable === undefined) return definition.fields;
  const field = definition.fields.find((f) => f.name === subtable);
  return Array.isArray(field?.fields) ? (field.fields as FieldDefinition[]) : [];
}
