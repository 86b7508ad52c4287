import { PlusOutlined } from '@ant-design/icons';
import { EmptyState, ErrorState, LoadingState, useFormatters } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BPMN } from './messages.ts';
import { workflowApi } from './workflow-api.ts';

/** The deployed processes, newest version of each; open one in the modeler or start a new one. */
export function WorkflowList() {
  const { t } = useTranslation(BPMN);
  const format = useFormatters();
  const list = useQuery({ queryKey: ['designer', 'workflows'], queryFn: workflowApi.definitions });
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} />;
  return (
    <div data-testid="workflow-list">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('list.title')}
        </Typography.Title>
        <Link to="/workflows/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="new-workflow">
            {t('list.new')}
          </Button>
        </Link>
      </Space>
      {list.data.length === 0 ? (
        <EmptyState description={t('list.none')} />
      ) : (
        <Table
          rowKey="processId"
          pagination={false}
          dataSource={list.data}
          columns={[
            {
              title: t('list.name'),
              render: (_, d) => (
                <Link to={`/workflows/${encodeURIComponent(d.processId)}`}>{d.name ?? d.processId}</Link>
              ),
            },
            { title: t('list.id'), dataIndex: 'processId', render: (id: string) => <code>{id}</code> },
            {
              title: t('list.version'),
              dataIndex: 'latestVersion',
              render: (v: number) => <Tag color="green">v{v}</Tag>,
            },
            {
              title: t('list.deployedAt'),
              dataIndex: 'deployedAt',
              render: (at: string) => format.dateTime(at),
            },
          ]}
        />
      )}
    </div>
  );
}
