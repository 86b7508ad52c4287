import { useFormatters } from '@crm/ui';
import { Button, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MONITOR } from './messages.ts';
import { type IncidentView, monitorApi } from './monitor-api.ts';
import { useMonitorAction } from './useMonitorAction.ts';

interface Props {
  incidents: IncidentView[];
  /** Names of the elements by id (the instance page knows them from the diagram). */
  elementNames?: Map<string, string>;
  /** Show the process and a link to the instance (the incidents tab; not on an instance's own page). */
  withInstance?: boolean;
}

/** Incidents with their error and attempts, and Retry for the open ones. */
export function IncidentTable({ incidents, elementNames, withInstance = false }: Props) {
  const { t } = useTranslation(MONITOR);
  const format = useFormatters();
  const { busy, run } = useMonitorAction();
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={incidents}
      locale={{ emptyText: t('incident.none') }}
      data-testid="incident-table"
      onRow={(incident) =>
        ({ 'data-testid': `incident-${incident.id}` }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        ...(withInstance
          ? [
              {
                title: t('column.instance'),
                key: 'instance',
                render: (_: unknown, incident: IncidentView) => (
                  <Link to={`/monitor/instances/${incident.instance_id}`} data-testid="incident-instance">
                    {incident.process_id} v{incident.version}
                  </Link>
                ),
              },
            ]
          : []),
        {
          title: t('column.element'),
          key: 'element',
          render: (_, incident) =>
            incident.element_id ? (elementNames?.get(incident.element_id) ?? incident.element_id) : '—',
        },
        {
          title: t('column.error'),
          key: 'error',
          render: (_, incident) => (
            <Typography.Text
              type={incident.resolved_at ? 'secondary' : 'danger'}
              data-testid="incident-message"
            >
              {incident.message}
            </Typography.Text>
          ),
        },
        {
          title: t('column.attempts'),
          key: 'attempts',
          render: (_, incident) =>
            incident.attempts === null
              ? '—'
              : t('incident.attempts', { attempts: incident.attempts, retries: incident.retries ?? '—' }),
        },
        {
          title: t('column.createdAt'),
          dataIndex: 'created_at',
          render: (at: string) => format.dateTime(at),
        },
        {
          key: 'retry',
          render: (_, incident) =>
            incident.resolved_at ? (
              <Typography.Text type="secondary">
                {t('incident.resolved', { at: format.dateTime(incident.resolved_at) })}
              </Typography.Text>
            ) : (
              <Button
                size="small"
                loading={busy === incident.id}
                data-testid="retry-incident"
                onClick={() =>
                  void run(incident.id, () => monitorApi.retry(incident.id), t('incident.retried'))
                }
              >
                {t('incident.retry')}
              </Button>
            ),
        },
      ]}
    />
  );
}
