import { CheckCircleTwoTone, WarningTwoTone } from '@ant-design/icons';
import { useLocalize } from '@crm/ui';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Collapse, Empty, List, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi, type PublishPreview } from '../api.ts';
import { useProblemLines } from '../errors.ts';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';

/**
 * Publishing the module's draft: the plan step by step in words, type changes with the values that
 * would not convert, the problems that stop it; a confirmation when values would be lost; then apply.
 */
export function PublishPanel({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<PublishPreview | undefined>(undefined);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState<'preview' | 'publish' | undefined>(undefined);
  const [failure, setFailure] = useState<string[] | undefined>(undefined);
  const moduleId = draft.state?.id ?? '';

  const check = async () => {
    setBusy('preview');
    setFailure(undefined);
    setConfirmed(false);
    try {
      if (draft.dirty) await draft.save();
      setPreview(await designerApi.preview([moduleId]));
    } catch (error) {
      setPreview(undefined);
      setFailure(problemLines(error));
    } finally {
      setBusy(undefined);
    }
  };

  const publish = async () => {
    setBusy('publish');
    setFailure(undefined);
    try {
      const result = await designerApi.publish([moduleId], confirmed);
      message.success(t('publish.done', { version: result.modules[0]?.toVersion ?? '' }));
      setPreview(undefined);
      await queryClient.invalidateQueries({ queryKey: ['designer'] });
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setBusy(undefined);
    }
  };

  const hasDraft = draft.dirty || draft.state?.draft !== null;
  const lossProblems = preview?.problems.filter((p) => p.code === 'data-loss') ?? [];
  const blocking = preview?.problems.filter((p) => p.code !== 'data-loss') ?? [];
  const conversions = preview?.steps.filter((s) => s.conversion) ?? [];
  const canPublish =
    preview !== undefined && blocking.length === 0 && (lossProblems.length === 0 || confirmed);

  return (
    <div data-testid="publish-panel" style={{ maxWidth: 960 }}>
      {!hasDraft && <Alert type="info" showIcon title={t('publish.nothing')} style={{ marginBottom: 12 }} />}
      <Space style={{ marginBottom: 12 }}>
        <Button
          onClick={() => void check()}
          loading={busy === 'preview'}
          disabled={!hasDraft}
          data-testid="publish-preview"
        >
          {t('publish.check')}
        </Button>
        <Button
          type="primary"
          onClick={() => void publish()}
          loading={busy === 'publish'}
          disabled={!canPublish}
          data-testid="publish-apply"
        >
          {t('publish.apply')}
        </Button>
      </Space>
      {failure && (
        <Alert
          type="error"
          showIcon
          title={t('publish.failed')}
          description={failure.map((line) => <div key={line}>{line}</div>)}
          style={{ marginBottom: 12 }}
          data-testid="publish-failure"
        />
      )}
      {preview && (
        <>
          <Typography.Paragraph>
            {preview.modules.map((m) => (
              <Tag key={m.id} color="blue">
                {m.name}: {m.fromVersion === null ? t('publish.first') : `v${m.fromVersion}`} → v{m.toVersion}
              </Tag>
            ))}
          </Typography.Paragraph>
          <Typography.Title level={5}>{t('publish.plan')}</Typography.Title>
          {preview.summary.length === 0 ? (
            <Empty description={t('publish.noTableChange')} />
          ) : (
            <List
              size="small"
              bordered
              dataSource={preview.summary}
              data-testid="publish-plan"
              renderItem={(sentence, index) => (
                <List.Item data-testid={sentence.warning ? 'plan-warning' : 'plan-step'}>
                  <Space align="start">
                    <span>{index + 1}.</span>
                    {sentence.warning ? (
                      <WarningTwoTone twoToneColor="#fa8c16" />
                    ) : (
                      <CheckCircleTwoTone twoToneColor="#52c41a" />
                    )}
                    <span>{localize(sentence.text)}</span>
                    {sentence.rewritesTable && <Tag>{t('publish.rewrites')}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
          )}
          {conversions.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('publish.conversions')}
              </Typography.Title>
              {conversions.map((step) => {
                const c = step.conversion;
                if (!c) return null;
                return (
                  <div
                    key={`${step.module}-${step.field}`}
                    style={{ marginBottom: 12 }}
                    data-testid="conversion"
                  >
                    <Typography.Text strong>{localize(c.summary)}</Typography.Text>
                    {c.samples.length > 0 && (
                      <Table
                        size="small"
                        pagination={false}
                        rowKey="id"
                        dataSource={c.samples}
                        columns={[
                          {
                            title: t('publish.record'),
                            dataIndex: 'id',
                            render: (id: string) => <code>{id.slice(0, 8)}…</code>,
                          },
                          {
                            title: t('publish.oldValue'),
                            dataIndex: 'value',
                            render: (v: unknown) => <code>{JSON.stringify(v)}</code>,
                          },
                          {
                            title: t('publish.newValue'),
                            dataIndex: 'converted',
                            render: (v: unknown) => <code>{JSON.stringify(v)}</code>,
                          },
                          {
                            title: '',
                            dataIndex: 'problem',
                            render: (p: string) => (
                              <Tag color={p === 'lossy' ? 'orange' : 'red'}>{t(`publish.${p}`)}</Tag>
                            ),
                          },
                        ]}
                      />
                    )}
                  </div>
                );
              })}
            </>
          )}
          {blocking.length > 0 && (
            <Alert
              type="error"
              showIcon
              title={t('publish.blocked')}
              description={blocking.map((p) => (
                <div key={`${p.pointer}-${p.code}`}>
                  <code>{p.pointer}</code> {localize(p.messages, p.detail ?? '')}
                </div>
              ))}
              style={{ marginTop: 12 }}
              data-testid="publish-blocked"
            />
          )}
          {lossProblems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              title={t('publish.lossTitle')}
              data-testid="loss-warning"
              description={
                <>
                  {lossProblems.map((p) => (
                    <div key={p.pointer}>{localize(p.messages, p.detail ?? '')}</div>
                  ))}
                  <Checkbox
                    checked={confirmed}
                    onChange={(e) => setConfirmed(e.target.checked)}
                    data-testid="confirm-loss"
                  >
                    {t('publish.confirmLoss')}
                  </Checkbox>
                </>
              }
            />
          )}
          <Collapse
            style={{ marginTop: 12 }}
            items={[
              {
                key: 'sql',
                label: t('publish.technical'),
                children: preview.steps.map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id of their own
                  <div key={i} style={{ marginBottom: 8 }}>
                    <Typography.Text>{localize(s.description)}</Typography.Text>
                    <pre style={{ fontSize: 11, margin: 0 }}>{s.sql.join(';\n')}</pre>
                  </div>
                )),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
