import { formatters, useLocale, useLocalize } from '@crm/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Empty,
  List,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi } from '../api.ts';
import { useErrorText } from '../errors.ts';
import { DESIGNER } from '../messages.ts';
import type { ModuleDraft } from '../modules/useModuleDraft.ts';

type Side = number | 'draft';

/**
 * The module's published versions: pick two (or a version and the draft) to see what changed in
 * fields, rules and layout; roll back by making an old version the draft, then publish it as usual.
 */
export function HistoryPanel({ draft }: { draft: ModuleDraft }) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const locale = useLocale();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const moduleId = draft.state?.id ?? '';
  const versions = useQuery({
    queryKey: ['designer', 'versions', moduleId],
    queryFn: () => designerApi.versions(moduleId),
  });
  const list = versions.data ?? [];
  const [from, setFrom] = useState<Side | undefined>(undefined);
  const [to, setTo] = useState<Side | undefined>(undefined);

  useEffect(() => {
    if (list.length === 0) return;
    setTo((current) => current ?? (draft.state?.draft ? 'draft' : list[0].version));
    setFrom(
      (current) => current ?? (draft.state?.draft ? list[0].version : (list[1]?.version ?? list[0].version)),
    );
  }, [list, draft.state]);

  const diff = useQuery({
    queryKey: ['designer', 'diff', moduleId, from, to],
    queryFn: () => designerApi.diff(moduleId, from as Side, to as Side),
    enabled: from !== undefined && to !== undefined,
  });

  const restore = async (version: number) => {
    try {
      await designerApi.restoreVersion(moduleId, version);
      await queryClient.invalidateQueries({ queryKey: ['designer'] });
      message.success(t('history.restored', { version }));
    } catch (error) {
      message.error(errorText(error));
    }
  };

  if (list.length === 0) return <Empty description={t('history.none')} />;
  const sides = [
    ...(draft.state?.draft ? [{ value: 'draft' as Side, label: t('modules.draft') }] : []),
    ...list.map((v) => ({ value: v.version as Side, label: `v${v.version}` })),
  ];
  const format = formatters(locale);

  return (
    <Row gutter={16} data-testid="history-panel">
      <Col xs={24} md={9}>
        <List
          size="small"
          bordered
          dataSource={list}
          renderItem={(v) => (
            <List.Item
              actions={[
                <Popconfirm
                  key="restore"
                  title={t('history.restoreConfirm', { version: v.version })}
                  onConfirm={() => void restore(v.version)}
                >
                  <Button
                    size="small"
                    disabled={v.version === draft.state?.publishedVersion}
                    data-testid={`restore-${v.version}`}
                  >
                    {t('history.restore')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <Space>
                <Tag color={v.version === draft.state?.publishedVersion ? 'green' : undefined}>
                  v{v.version}
                </Tag>
                <Typography.Text type="secondary">{format.dateTime(v.publishedAt)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('history.restoreHelp')} />
      </Col>
      <Col xs={24} md={15}>
        <Space style={{ marginBottom: 12 }}>
          {t('history.compare')}
          <Select
            style={{ width: 110 }}
            value={from}
            onChange={setFrom}
            options={sides}
            data-testid="diff-from"
          />
          →
          <Select style={{ width: 110 }} value={to} onChange={setTo} options={sides} data-testid="diff-to" />
        </Space>
        {diff.isError && <Alert type="error" title={errorText(diff.error)} />}
        {diff.data &&
          (diff.data.changes.length === 0 ? (
            <Empty description={t('history.same')} />
          ) : (
            <Table
              size="small"
              pagination={false}
              rowKey={(c) => `${c.part}-${c.change}-${c.name ?? ''}-${JSON.stringify(c.settings ?? [])}`}
              dataSource={diff.data.changes}
              data-testid="diff-table"
              columns={[
                {
                  title: t('history.part'),
                  dataIndex: 'part',
                  render: (p: string) => t(`history.parts.${p}`, { defaultValue: p }),
                },
                {
                  title: t('history.change'),
                  dataIndex: 'change',
                  render: (c: string) => (
                    <Tag color={c === 'added' ? 'green' : c === 'removed' ? 'red' : 'blue'}>
                      {t(`history.changes.${c}`)}
                    </Tag>
                  ),
                },
                { title: t('history.what'), render: (_, c) => localize(c.description) },
              ]}
            />
          ))}
      </Col>
    </Row>
  );
}
