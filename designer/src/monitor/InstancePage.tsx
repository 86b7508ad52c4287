import { ArrowLeftOutlined, StopOutlined } from '@ant-design/icons';
import { ErrorState, LoadingState, useFormatters } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { HistoryTimeline } from './HistoryTimeline.tsx';
import { IncidentTable } from './IncidentTable.tsx';
import { MONITOR } from './messages.ts';
import { monitorApi } from './monitor-api.ts';
import { StateTag } from './StateTag.tsx';
import { useMonitorAction } from './useMonitorAction.ts';

// bpmn-js is large: the viewer loads with the first instance opened, as the modeler does
const InstanceDiagram = lazy(() =>
  import('./InstanceDiagram.tsx').then((m) => ({ default: m.InstanceDiagram })),
);

/** The names of a diagram's elements by id, read from its XML. */
function elementNames(xml: string | undefined): Map<string, string> {
  const names = new Map<string, string>();
  if (!xml) return names;
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  for (const element of Array.from(document.querySelectorAll('[id][name]'))) {
    const name = element.getAttribute('name');
    if (name) names.set(element.getAttribute('id') ?? '', name);
  }
  return names;
}

/**
 * One instance: its own version's diagram marked with where it is, its record and starter, variables,
 * history (of a clicked element, or all), incidents with Retry, and Cancel with a reason.
 */
export function InstancePage() {
  const { t } = useTranslation(MONITOR);
  const format = useFormatters();
  const id = useParams().id ?? '';
  const [picked, setPicked] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, run } = useMonitorAction();
  const instance = useQuery({
    queryKey: ['monitor', 'instance', id],
    queryFn: () => monitorApi.instance(id),
  });
  const history = useQuery({ queryKey: ['monitor', 'history', id], queryFn: () => monitorApi.history(id) });
  const activity = useQuery({
    queryKey: ['monitor', 'activity', id],
    queryFn: () => monitorApi.activity(id),
  });
  const processId = instance.data?.process_id;
  const versionNumber = instance.data?.version;
  const version = useQuery({
    queryKey: ['designer', 'workflow-version', processId, versionNumber],
    queryFn: () => monitorApi.version(processId ?? '', versionNumber ?? 0),
    enabled: processId !== undefined && versionNumber !== undefined,
    staleTime: Number.POSITIVE_INFINITY, // a version never changes
  });
  const names = useMemo(() => elementNames(version.data?.xml), [version.data?.xml]);

  if (instance.isPending) return <LoadingState />;
  if (instance.isError) return <ErrorState error={instance.error} />;
  const data = instance.data;
  const events = (history.data ?? []).filter((event) => picked === null || event.elementId === picked);
  const cancel = async () => {
    const done = await run('cancel', () => monitorApi.cancel(id, reason.trim()), t('instance.cancelled'));
    if (done) {
      setCancelling(false);
      setReason('');
    }
  };

  return (
    <div data-testid="instance-page">
      <Link to="/monitor">
        <ArrowLeftOutlined /> {t('instance.back')}
      </Link>
      <Space style={{ width: '100%', justifyContent: 'space-between', margin: '8px 0 12px' }} wrap>
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="instance-title">
            {data.processName ?? data.process_id}
          </Typography.Title>
          <Tag>{t('instance.version', { version: data.version })}</Tag>
          <StateTag state={data.state} />
        </Space>
        {data.state === 'active' && (
          <Button
            danger
            icon={<StopOutlined />}
            onClick={() => setCancelling(true)}
            data-testid="cancel-instance"
          >
            {t('instance.cancel')}
          </Button>
        )}
      </Space>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        {data.module && data.record_id && (
          <Descriptions.Item label={t('column.record')}>
            <a href={`/m/${encodeURIComponent(data.module)}/${data.record_id}`} data-testid="instance-record">
              {data.recordTitle ?? data.record_id}
            </a>
          </Descriptions.Item>
        )}
        {data.business_key && (
          <Descriptions.Item label={t('instance.businessKey')}>{data.business_key}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('column.startedBy')}>
          {data.startedByName ?? (data.started_by ? '—' : t('system'))}
        </Descriptions.Item>
        <Descriptions.Item label={t('column.startedAt')}>
          {format.dateTime(data.started_at)}
        </Descriptions.Item>
        {data.ended_at && (
          <Descriptions.Item label={t('column.endedAt')}>{format.dateTime(data.ended_at)}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('column.position')}>
          <Space size={4} wrap>
            {data.position.map((p) => (
              <Tag key={p.elementId} color="blue">
                {p.name ?? p.elementId}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title={t('instance.diagram')} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('instance.diagramHelp')}
        </Typography.Paragraph>
        {version.isError ? (
          <ErrorState error={version.error} />
        ) : version.data && activity.data ? (
          <Suspense fallback={<LoadingState />}>
            <InstanceDiagram xml={version.data.xml} activity={activity.data} onPick={setPicked} />
          </Suspense>
        ) : (
          <LoadingState />
        )}
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('instance.incidents')} style={{ marginBottom: 12 }}>
            <IncidentTable incidents={data.incidents} elementNames={names} />
          </Card>
          <Card size="small" title={t('instance.variables')} style={{ marginBottom: 12 }}>
            <pre style={{ margin: 0, maxHeight: 320, overflow: 'auto' }} data-testid="instance-variables">
              {JSON.stringify(data.variables, null, 2)}
            </pre>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            data-testid="history-card"
            title={
              picked === null
                ? t('instance.history')
                : t('instance.elementHistory', { element: names.get(picked) ?? picked })
            }
            extra={
              picked !== null && (
                <Button size="small" type="link" onClick={() => setPicked(null)} data-testid="history-all">
                  {t('instance.showAll')}
                </Button>
              )
            }
          >
            {history.isError ? (
              <ErrorState error={history.error} />
            ) : (
              <HistoryTimeline events={events} elementNames={names} />
            )}
          </Card>
        </Col>
      </Row>
      <Modal
        open={cancelling}
        title={t('instance.cancelTitle')}
        okText={t('instance.confirmCancel')}
        okButtonProps={{ danger: true, loading: busy === 'cancel' }}
        cancelText={t('instance.keep')}
        onOk={() => void cancel()}
        onCancel={() => setCancelling(false)}
        destroyOnHidden
      >
        <div data-testid="cancel-dialog">
          <Typography.Paragraph>{t('instance.cancelHelp')}</Typography.Paragraph>
          <Input.TextArea
            rows={3}
            placeholder={t('instance.reason')}
            aria-label={t('instance.reason')}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            data-testid="cancel-reason"
          />
        </div>
      </Modal>
    </div>
  );
}
