import { ErrorState, LoadingState, useFormatters } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IncidentTable } from './IncidentTable.tsx';
import { MONITOR } from './messages.ts';
import { monitorApi } from './monitor-api.ts';

const instanceLink = (id: string | null) =>
  id ? (
    <Link to={`/monitor/instances/${id}`}>
      <code>{id.slice(0, 8)}…</code>
    </Link>
  ) : (
    '—'
  );

/** Every open incident across instances, with Retry. */
export function IncidentsTab() {
  const incidents = useQuery({ queryKey: ['monitor', 'incidents'], queryFn: monitorApi.incidents });
  if (incidents.isPending) return <LoadingState />;
  if (incidents.isError) return <ErrorState error={incidents.error} />;
  return <IncidentTable incidents={incidents.data} withInstance />;
}

/** The sweeper's report: tokens waiting on nothing, expired leases, overdue jobs, empty instances. */
export function StuckTab() {
  const { t } = useTranslation(MONITOR);
  const format = useFormatters();
  const report = useQuery({ queryKey: ['monitor', 'stuck'], queryFn: monitorApi.stuck });
  if (report.isPending) return <LoadingState />;
  if (report.isError) return <ErrorState error={report.error} />;
  const { orphanTokens, expiredLeases, overdueJobs, emptyInstances } = report.data;
  const clean = orphanTokens.length + expiredLeases.length + overdueJobs.length + emptyInstances.length === 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="stuck-report">
      <Alert
        type={clean ? 'success' : 'warning'}
        showIcon
        title={clean ? t('stuck.clean') : t('stuck.help')}
      />
      <StuckSection
        title={t('stuck.orphanTokens')}
        rows={orphanTokens}
        rowKey="tokenId"
        columns={[
          { title: t('column.element'), dataIndex: 'elementId' },
          { title: t('stuck.waits'), dataIndex: 'wait' },
        ]}
      />
      <StuckSection
        title={t('stuck.expiredLeases')}
        rows={expiredLeases}
        rowKey="jobId"
        columns={[
          { title: t('stuck.kind'), dataIndex: 'kind' },
          { title: t('stuck.lockedBy'), dataIndex: 'lockedBy' },
          {
            title: t('stuck.lockedUntil'),
            dataIndex: 'lockedUntil',
            render: (at: string) => format.dateTime(at),
          },
        ]}
      />
      <StuckSection
        title={t('stuck.overdueJobs')}
        rows={overdueJobs}
        rowKey="jobId"
        columns={[
          { title: t('stuck.kind'), dataIndex: 'kind' },
          { title: t('stuck.dueAt'), dataIndex: 'dueAt', render: (at: string) => format.dateTime(at) },
        ]}
      />
      {emptyInstances.length > 0 && (
        <Card size="small" title={t('stuck.emptyInstances')}>
          <Space wrap>
            {emptyInstances.map((id) => (
              <span key={id}>{instanceLink(id)}</span>
            ))}
          </Space>
        </Card>
      )}
    </Space>
  );
}

/** One non-empty part of the stuck report: a card holding a table whose first column links the instance. */
function StuckSection<Row extends { instanceId: string | null }>({
  title,
  rows,
  rowKey,
  columns,
}: {
  title: string;
  rows: Row[];
  rowKey: keyof Row & string;
  columns: TableColumnsType<Row>;
}) {
  const { t } = useTranslation(MONITOR);
  if (rows.length === 0) return null;
  return (
    <Card size="small" title={title}>
      <Table<Row>
        rowKey={rowKey}
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[{ title: t('column.instance'), dataIndex: 'instanceId', render: instanceLink }, ...columns]}
      />
    </Card>
  );
}

/** Processes started by a timer, with their next run times. */
export function SchedulesTab() {
  const { t } = useTranslation(MONITOR);
  const format = useFormatters();
  const schedules = useQuery({ queryKey: ['monitor', 'schedules'], queryFn: monitorApi.schedules });
  if (schedules.isPending) return <LoadingState />;
  if (schedules.isError) return <ErrorState error={schedules.error} />;
  if (schedules.data.length === 0) return <Empty description={t('schedules.none')} />;
  return (
    <Table
      rowKey={(s) => `${s.processId}/${s.elementId}`}
      size="small"
      pagination={false}
      dataSource={schedules.data}
      data-testid="schedule-table"
      columns={[
        {
          title: t('column.process'),
          key: 'process',
          render: (_, s) => (
            <Space size={4}>
              <Link to={`/workflows/${encodeURIComponent(s.processId)}`}>{s.processId}</Link>
              <Tag>v{s.version}</Tag>
            </Space>
          ),
        },
        { title: t('schedules.element'), dataIndex: 'elementId' },
        { title: t('schedules.timer'), dataIndex: 'timer', render: (timer: string) => <code>{timer}</code> },
        { title: t('schedules.fired'), dataIndex: 'fired' },
        {
          title: t('schedules.next'),
          dataIndex: 'next',
          render: (next: string[]) => (
            <Space orientation="vertical" size={0}>
              {next.map((at) => (
                <span key={at}>{format.dateTime(at)}</span>
              ))}
            </Space>
          ),
        },
        { title: t('schedules.timeZone'), dataIndex: 'timeZone' },
      ]}
    />
  );
}
