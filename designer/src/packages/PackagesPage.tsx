import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, useLocalize } from '@crm/ui';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Collapse,
  Input,
  List,
  Space,
  Statistic,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemLines } from '../errors.ts';
import { PACKAGES } from './messages.ts';

interface PackagePreview {
  manifest: { name: string; version: string };
  installed: { name: string; version: string } | null;
  summary: { added: number; changed: number; unchanged: number };
  items: {
    kind: string;
    file: string;
    name: string;
    status: 'added' | 'changed' | 'unchanged';
    fromVersion?: number | null;
    toVersion?: number;
    replacesDraft?: boolean;
    changes: { description: Record<string, string> }[];
  }[];
  untouched: { kind: string; id: string; name: string }[];
  steps: { description: Record<string, string> }[];
  problems: { pointer: string; detail: string; code?: string; messages?: Record<string, string> }[];
}

const ZIP = 'application/zip';

/**
 * App packages: export the whole configuration (a zip of the package's files), import one with a
 * preview of what it adds, changes and leaves, the migration plan and its problems, then apply it.
 */
export function PackagesPage() {
  const { t } = useTranslation(PACKAGES);
  const localize = useLocalize();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [body, setBody] = useState<Blob | undefined>(undefined);
  const [fileName, setFileName] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<PackagePreview | undefined>(undefined);
  const [confirmLoss, setConfirmLoss] = useState(false);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<string[] | undefined>(undefined);

  const exportZip = async () => {
    setBusy('export');
    try {
      const response = await api.fetch('GET', '/api/package', {
        query: { format: 'zip', name: name || undefined, version: version || undefined },
      });
      const blob = await response.blob();
      const disposition = response.headers.get('content-disposition') ?? '';
      const file = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'crm-package.zip';
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      message.error(problemLines(error).join('; '));
    } finally {
      setBusy(undefined);
    }
  };

  const send = async (path: string, confirm: boolean) => {
    if (!body) throw new Error('no package chosen');
    return api.post<PackagePreview>(path, body, {
      headers: { 'content-type': ZIP },
      query: { confirmDataLoss: confirm || undefined },
    });
  };

  const check = async (file: Blob) => {
    setBusy('preview');
    setFailure(undefined);
    setPreview(undefined);
    setConfirmLoss(false);
    try {
      setPreview(
        await api.post<PackagePreview>('/api/package/preview', file, { headers: { 'content-type': ZIP } }),
      );
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setBusy(undefined);
    }
  };

  const importIt = async () => {
    setBusy('import');
    setFailure(undefined);
    try {
      const result = await send('/api/package/import', confirmLoss);
      message.success(t('imported', { name: result.manifest.name, version: result.manifest.version }));
      setPreview(undefined);
      await queryClient.invalidateQueries({ queryKey: ['designer'] });
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setBusy(undefined);
    }
  };

  const loss = preview?.problems.filter((p) => p.code === 'data-loss') ?? [];
  const blocking = preview?.problems.filter((p) => p.code !== 'data-loss') ?? [];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="packages-page">
      <Card size="small" title={t('export.title')}>
        <Typography.Paragraph type="secondary">{t('export.help')}</Typography.Paragraph>
        <Space wrap>
          <Input
            placeholder={t('export.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            style={{ width: 200 }}
          />
          <Input
            placeholder="1.0.0"
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            style={{ width: 120 }}
          />
          <Button
            icon={<DownloadOutlined />}
            loading={busy === 'export'}
            onClick={() => void exportZip()}
            data-testid="export-package"
          >
            {t('export.button')}
          </Button>
        </Space>
      </Card>
      <Card size="small" title={t('import.title')}>
        <Upload
          accept=".zip"
          showUploadList={false}
          beforeUpload={(file) => {
            setBody(file);
            setFileName(file.name);
            void check(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy === 'preview'} data-testid="choose-package">
            {t('import.choose')}
          </Button>
        </Upload>
        {fileName && <Typography.Text style={{ marginLeft: 8 }}>{fileName}</Typography.Text>}
        {failure && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title={t('import.failed')}
            description={failure.map((l) => <div key={l}>{l}</div>)}
          />
        )}
        {preview && (
          <div style={{ marginTop: 12 }} data-testid="package-preview">
            <Typography.Title level={5}>
              {preview.manifest.name} {preview.manifest.version}
              {preview.installed && (
                <Typography.Text type="secondary">
                  {' '}
                  (
                  {t('import.installed', {
                    name: preview.installed.name,
                    version: preview.installed.version,
                  })}
                  )
                </Typography.Text>
              )}
            </Typography.Title>
            <Space size="large">
              <Statistic title={t('status.added')} value={preview.summary.added} />
              <Statistic title={t('status.changed')} value={preview.summary.changed} />
              <Statistic title={t('status.unchanged')} value={preview.summary.unchanged} />
            </Space>
            <List
              size="small"
              style={{ marginTop: 8 }}
              dataSource={preview.items.filter((i) => i.status !== 'unchanged')}
              renderItem={(item) => (
                <List.Item>
                  <div>
                    <Tag color={item.status === 'added' ? 'green' : 'blue'}>{t(`status.${item.status}`)}</Tag>
                    <Tag>{t(`kinds.${item.kind}`, { defaultValue: item.kind })}</Tag> <b>{item.name}</b>{' '}
                    <code>{item.file}</code>
                    {item.replacesDraft && <Tag color="orange">{t('import.replacesDraft')}</Tag>}
                    <ul style={{ margin: 0 }}>
                      {item.changes.map((c, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: changes have no id
                        <li key={i}>{localize(c.description)}</li>
                      ))}
                    </ul>
                  </div>
                </List.Item>
              )}
            />
            {preview.untouched.length > 0 && (
              <Typography.Paragraph type="secondary">
                {t('import.untouched', { names: preview.untouched.map((u) => u.name).join(', ') })}
              </Typography.Paragraph>
            )}
            {preview.steps.length > 0 && (
              <Collapse
                items={[
                  {
                    key: 'plan',
                    label: t('import.plan', { count: preview.steps.length }),
                    children: (
                      <ol>
                        {preview.steps.map((s, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id
                          <li key={i}>{localize(s.description)}</li>
                        ))}
                      </ol>
                    ),
                  },
                ]}
              />
            )}
            {blocking.length > 0 && (
              <Alert
                type="error"
                showIcon
                style={{ marginTop: 8 }}
                title={t('import.blocked')}
                description={blocking.map((p) => (
                  <div key={`${p.pointer}-${p.code}`}>
                    <code>{p.pointer}</code> {localize(p.messages, p.detail)}
                  </div>
                ))}
              />
            )}
            {loss.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 8 }}
                title={t('import.loss')}
                description={
                  <>
                    {loss.map((p) => (
                      <div key={p.pointer}>{localize(p.messages, p.detail)}</div>
                    ))}
                    <Checkbox checked={confirmLoss} onChange={(e) => setConfirmLoss(e.target.checked)}>
                      {t('import.confirmLoss')}
                    </Checkbox>
                  </>
                }
              />
            )}
            <Button
              type="primary"
              style={{ marginTop: 12 }}
              disabled={blocking.length > 0 || (loss.length > 0 && !confirmLoss)}
              loading={busy === 'import'}
              onClick={() => void importIt()}
              data-testid="import-package"
            >
              {t('import.apply')}
            </Button>
          </div>
        )}
      </Card>
    </Space>
  );
}
