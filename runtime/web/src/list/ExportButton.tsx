import { DownloadOutlined } from '@ant-design/icons';
import { api, errorMessage, type QueryValue, useLocale } from '@crm/ui';
import { App, Button, Dropdown, Modal, Progress, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIST } from './messages.ts';

type Format = 'csv' | 'xlsx';

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Downloads the current view (its filter, keyword, sort and columns) as CSV or xlsx from the server's
 * streamed export, showing how far it got: for CSV the rows received out of the list's total, for xlsx
 * (compressed as it goes) the bytes received.
 */
export function ExportButton({
  module,
  query,
  total,
}: {
  module: string;
  query: Record<string, QueryValue>;
  total: number | undefined;
}) {
  const { t } = useTranslation(LIST);
  const locale = useLocale();
  const { message } = App.useApp();
  const [progress, setProgress] = useState<{ format: Format; bytes: number; rows: number } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async (format: Format) => {
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ format, bytes: 0, rows: 0 });
    try {
      const response = await api.fetch('GET', `/api/modules/${encodeURIComponent(module)}/records/export`, {
        query: { ...query, format },
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      let rows = 0;
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.length;
        if (format === 'csv') for (const byte of value) if (byte === 10) rows++;
        setProgress({ format, bytes, rows: Math.max(0, rows - 1) });
      }
      const blob = new Blob(chunks, { type: response.headers.get('content-type') ?? undefined });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `${module}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      message.success(t('export.done'));
    } catch (error) {
      if (!controller.signal.aborted) message.error(errorMessage(error, locale));
    } finally {
      setProgress(null);
    }
  };

  const percent =
    progress?.format === 'csv' && total ? Math.min(99, Math.round((progress.rows / total) * 100)) : undefined;
  return (
    <>
      <Dropdown
        menu={{
          items: [
            { key: 'csv', label: t('export.csv') },
            { key: 'xlsx', label: t('export.xlsx') },
          ],
          onClick: ({ key }) => void run(key as Format),
        }}
      >
        <Button icon={<DownloadOutlined />} data-testid="export-button">
          {t('export.button')}
        </Button>
      </Dropdown>
      <Modal
        open={progress !== null}
        title={t('export.progress')}
        footer={null}
        closable
        onCancel={() => abort.current?.abort()}
        maskClosable={false}
      >
        <Progress
          percent={percent ?? 100}
          status="active"
          showInfo={percent !== undefined}
          data-testid="export-progress"
        />
        <Typography.Text type="secondary">
          {t('export.received', { size: size(progress?.bytes ?? 0) })}
        </Typography.Text>
      </Modal>
    </>
  );
}
