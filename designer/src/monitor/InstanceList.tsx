import { ErrorState, useFormatters } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { workflowApi } from '../bpmn/workflow-api.ts';
import { MONITOR } from './messages.ts';
import { INSTANCE_STATES, type InstanceFilter, type MonitoredInstance, monitorApi } from './monitor-api.ts';
import { StateTag } from './StateTag.tsx';

const PAGE = 20;
/** The state select's extra choice: instances with open incidents (a filter of its own in the API). */
const WITH_INCIDENTS = 'incidents';

type Filter = Omit<InstanceFilter, 'before' | 'limit'>;

/**
 * Every instance, newest first: filtered by process, state (or open incidents), record and start time,
 * paged by cursor; a row opens the instance.
 */
export function InstanceList() {
  const { t } = useTranslation(MONITOR);
  const format = useFormatters();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter>({});
  const [formKey, setFormKey] = useState(0);
  // the cursors of the pages seen so far: page n starts before cursors[n] (the first page: no cursor)
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const definitions = useQuery({ queryKey: ['designer', 'workflows'], queryFn: workflowApi.definitions });
  const list = useQuery({
    queryKey: ['monitor', 'instances', filter, before],
    queryFn: () => monitorApi.instances({ ...filter, before, limit: PAGE + 1 }),
  });
  const rows = list.data?.slice(0, PAGE) ?? [];
  const hasMore = (list.data?.length ?? 0) > PAGE;

  const apply = (next: Filter) => {
    setFilter(next);
    setCursors([undefined]);
  };
  const stateValue = draft.incidents ? WITH_INCIDENTS : draft.state;

  return (
    <div data-testid="instance-list">
      <Space wrap style={{ marginBottom: 12 }} key={formKey}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('filter.process')}
          style={{ minWidth: 200 }}
          data-testid="filter-process"
          value={draft.processId}
          onChange={(processId?: string) => setDraft({ ...draft, processId })}
          options={(definitions.data ?? []).map((d) => ({
            value: d.processId,
            label: d.name ? `${d.name} (${d.processId})` : d.processId,
          }))}
        />
        <Select
          allowClear
          placeholder={t('filter.anyState')}
          style={{ minWidth: 160 }}
          data-testid="filter-state"
          value={stateValue}
          onChange={(value?: string) =>
            setDraft({
              ...draft,
              incidents: value === WITH_INCIDENTS ? true : undefined,
              state: INSTANCE_STATES.find((state) => state === value),
            })
          }
          options={[
            ...INSTANCE_STATES.map((state) => ({ value: state, label: t(`states.${state}`) })),
            { value: WITH_INCIDENTS, label: t('filter.withIncidents') },
          ]}
        />
        <Input
          allowClear
          placeholder={t('filter.record')}
          style={{ width: 200 }}
          data-testid="filter-record"
          value={draft.recordId}
          onChange={(event) => setDraft({ ...draft, recordId: event.target.value.trim() || undefined })}
        />
        <DatePicker.RangePicker
          data-testid="filter-started"
          placeholder={[t('filter.startedFrom'), t('filter.startedTo')]}
          onChange={(dates) =>
            setDraft({
              ...draft,
              startedFrom: dates?.[0]?.startOf('day').toISOString(),
              startedTo: dates?.[1]?.add(1, 'day').startOf('day').toISOString(),
            })
          }
        />
        <Button type="primary" data-testid="filter-apply" onClick={() => apply(draft)}>
          {t('filter.apply')}
        </Button>
        <Button
          onClick={() => {
            setDraft({});
            setFormKey((n) => n + 1);
            apply({});
          }}
        >
          {t('filter.reset')}
        </Button>
      </Space>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<MonitoredInstance>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: t('none') }}
          onRow={(instance) => ({
            onClick: () => navigate(`/monitor/instances/${instance.id}`),
            style: { cursor: 'pointer' },
            'data-testid': `instance-row-${instance.id}`,
          })}
          columns={[
            {
              title: t('column.process'),
              key: 'process',
              render: (_, instance) => (
                <Space size={4}>
                  <Link
                    to={`/monitor/instances/${instance.id}`}
                    onClick={(event) => event.stopPropagation()}
                    data-testid="open-instance"
                  >
                    {instance.processName ?? instance.process_id}
                  </Link>
                  <Tag>v{instance.version}</Tag>
                </Space>
              ),
            },
            {
              title: t('column.record'),
              key: 'record',
              render: (_, instance) =>
                instance.module && instance.record_id ? (
                  <a
                    href={`/m/${encodeURIComponent(instance.module)}/${instance.record_id}`}
                    onClick={(event) => event.stopPropagation()}
                  >
                    {instance.recordTitle ?? instance.record_id}
                  </a>
                ) : (
                  (instance.business_key ?? '—')
                ),
            },
            {
              title: t('column.startedBy'),
              key: 'startedBy',
              render: (_, instance) => instance.startedByName ?? (instance.started_by ? '—' : t('system')),
            },
            {
              title: t('column.startedAt'),
              dataIndex: 'started_at',
              render: (at: string) => format.dateTime(at),
            },
            {
              title: t('column.position'),
              key: 'position',
              render: (_, instance) => (
                <Space size={4} wrap data-testid="instance-position">
                  {instance.position.map((p) => (
                    <Tag key={p.elementId} color="blue">
                      {p.name ?? p.elementId}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('column.state'),
              dataIndex: 'state',
              render: (_, instance) => <StateTag state={instance.state} />,
            },
            {
              title: t('column.incidents'),
              dataIndex: 'openIncidents',
              render: (count: number) => (
                <span data-testid="instance-incidents" data-count={count}>
                  {count > 0 ? (
                    <Badge count={count} />
                  ) : (
                    <Typography.Text type="secondary">0</Typography.Text>
                  )}
                </span>
              ),
            },
          ]}
        />
      )}
      <Space style={{ marginTop: 12 }}>
        <Button
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
          data-testid="page-previous"
        >
          {t('previous')}
        </Button>
        <Typography.Text>{t('page', { page: cursors.length })}</Typography.Text>
        <Button
          disabled={!hasMore}
          onClick={() => setCursors([...cursors, rows[rows.length - 1]?.id])}
          data-testid="page-next"
        >
          {t('next')}
        </Button>
      </Space>
    </div>
  );
}
