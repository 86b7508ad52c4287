import { RecordForm, useLocale, type Values } from '@crm/ui';
import { Alert, Button, Card, Col, Radio, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import { useCompiledForm } from './compile.ts';
import { sampleRecord } from './sample-data.ts';

/**
 * The form exactly as users will see it: the engine's compiler (browser entry) turns the definition
 * being edited into the JSON Schema and uiSchema, and the shared RecordForm renders them with the
 * runtime's widgets. Sample values are editable; nothing is saved.
 */
export function FormPreview({ definition }: { definition: ModuleDefinition }) {
  const { t } = useTranslation(DESIGNER);
  const appLocale = useLocale();
  const [locale, setLocale] = useState<string>(appLocale);
  const [values, setValues] = useState<Values>(() => sampleRecord(definition));
  const [resetKey, setResetKey] = useState(0);
  const { compiled, services } = useCompiledForm(definition, locale);

  return (
    <Row gutter={16} data-testid="form-preview">
      <Col xs={24} lg={16}>
        <Card
          size="small"
          title={t('preview.title')}
          extra={
            <Space>
              <Radio.Group size="small" value={locale} onChange={(e) => setLocale(e.target.value)}>
                <Radio.Button value="zh-CN">中文</Radio.Button>
                <Radio.Button value="en">English</Radio.Button>
              </Radio.Group>
              <Button
                size="small"
                onClick={() => {
                  setValues(sampleRecord(definition));
                  setResetKey((k) => k + 1);
                }}
              >
                {t('preview.reset')}
              </Button>
            </Space>
          }
        >
          {'error' in compiled ? (
            <Alert type="warning" showIcon title={t('preview.invalid')} description={compiled.error} />
          ) : (
            <RecordForm
              key={`${resetKey}-${locale}`}
              module={definition.name}
              jsonSchema={compiled.jsonSchema}
              uiSchema={compiled.uiSchema}
              locale={locale}
              services={services}
              record={values}
              onChange={setValues}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('preview.sample')}>
          <Typography.Paragraph type="secondary">{t('preview.sampleHelp')}</Typography.Paragraph>
          <pre style={{ fontSize: 12, maxHeight: 480, overflow: 'auto' }} data-testid="preview-values">
            {JSON.stringify(values, null, 2)}
          </pre>
        </Card>
      </Col>
    </Row>
  );
}
