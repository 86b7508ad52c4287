import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { ErrorState, LoadingState, useFormatters, useLocalize } from '@crm/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { designerApi, type FeelCompletion } from '../api.ts';
import { useProblemLines } from '../errors.ts';
import { FeelEditor } from '../rules/FeelEditor.tsx';
import { WEBHOOKS } from './messages.ts';
import {
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookDelivery,
  type WebhookSettings,
  webhookApi,
} from './webhook-api.ts';

const LIST_KEY = ['designer', 'webhooks'];

/** What a filter reads: the record before and after the write, and who wrote it. */
const FILTER_COMPLETIONS: FeelCompletion[] = [
  { name: 'old', kind: 'system', feelType: 'context' },
  { name: 'new', kind: 'system', feelType: 'context' },
  { name: 'actor', kind: 'system', feelType: 'string' },
];

const STATE_COLOURS = { pending: 'processing', delivered: 'success', failed: 'error' } as const;

/** Outbound webhooks: subscriptions (URL, modules, events, FEEL filter), secrets, the delivery log. */
export function WebhooksPage() {
  const { t } = useTranslation(WEBHOOKS);
  const webhooks = useQuery({ queryKey: LIST_KEY, queryFn: webhookApi.list });
  const [selected, setSelected] = useState<string | 'new' | undefined>(undefined);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  if (webhooks.isPending) return <LoadingState />;
  if (webhooks.isError) return <ErrorState error={webhooks.error} />;
  const current = webhooks.data.data.find((w) => w.id === selected);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="webhooks-page">
      <Card
        size="small"
        title={t('title')}
        extra={
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => {
              setSecret(undefined);
              setSelected('new');
            }}
            data-testid="new-webhook"
          >
            {t('new')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('help')}</Typography.Paragraph>
        <Table<Webhook>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={webhooks.data.data}
          locale={{ emptyText: t('none') }}
          onRow={(w) => ({
            onClick: () => {
              setSecret(undefined);
              setSelected(w.id);
            },
            style: { cursor: 'pointer', fontWeight: w.id === selected ? 600 : undefined },
          })}
          data-testid="webhook-list"
          columns={[
            { title: t('url'), dataIndex: 'url', render: (url: string) => <code>{url}</code> },
            { title: t('modules'), dataIndex: 'modules', render: (m: string[]) => m.join(', ') },
            {
              title: t('events'),
              dataIndex: 'events',
              render: (events: Webhook['events']) => events.map((e) => t(`event.${e}`)).join(', '),
            },
            {
              title: t('active'),
              dataIndex: 'active',
              render: (active: boolean) => (
                <Tag color={active ? 'green' : 'default'}>{active ? t('active') : t('inactive')}</Tag>
              ),
            },
            { title: t('failures'), dataIndex: 'consecutiveFailures' },
          ]}
        />
      </Card>
      {secret && (
        <Alert
          type="warning"
          showIcon
          title={t('secretTitle')}
          description={
            <>
              <Typography.Text copyable code data-testid="webhook-secret">
                {secret}
              </Typography.Text>
              <div>{t('secretHelp')}</div>
            </>
          }
          closable
          onClose={() => setSecret(undefined)}
        />
      )}
      {selected === 'new' && (
        <WebhookEditor
          key="new"
          onSaved={(id, newSecret) => {
            setSelected(id);
            setSecret(newSecret);
          }}
          onSecret={setSecret}
        />
      )}
      {current && (
        <>
          <WebhookEditor key={current.id} webhook={current} onSaved={setSelected} onSecret={setSecret} />
          <DeliveryLog webhook={current} />
        </>
      )}
    </Space>
  );
}

function settingsOf(webhook?: Webhook): WebhookSettings {
  return {
    url: webhook?.url ?? '',
    description: webhook?.description ?? null,
    modules: webhook?.modules ?? [],
    events: webhook?.events ?? ['created', 'updated'],
    filter: webhook?.filter ?? null,
    active: webhook?.active ?? true,
  };
}

function WebhookEditor({
  webhook,
  onSaved,
  onSecret,
}: {
  webhook?: Webhook;
  onSaved(id: string | undefined, secret?: string): void;
  onSecret(secret: string): void;
}) {
  const { t } = useTranslation(WEBHOOKS);
  const localize = useLocalize();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const queryClient = useQueryClient();
  const modules = useQuery({ queryKey: ['designer', 'modules'], queryFn: designerApi.modules });
  const [value, setValue] = useState<WebhookSettings>(() => settingsOf(webhook));
  const [failure, setFailure] = useState<string[] | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const published = (modules.data ?? []).filter((m) => m.publishedVersion !== null && !m.archived);

  const run = async (work: () => Promise<void>) => {
    setSaving(true);
    setFailure(undefined);
    try {
      await work();
      await queryClient.invalidateQueries({ queryKey: LIST_KEY });
    } catch (error) {
      setFailure(problemLines(error));
    } finally {
      setSaving(false);
    }
  };
  const save = () =>
    run(async () => {
      const settings = { ...value, filter: value.filter?.trim() ? value.filter : null };
      if (webhook) {
        await webhookApi.update(webhook.id, settings);
        onSaved(webhook.id);
      } else {
        const created = await webhookApi.create(settings);
        onSaved(created.id, created.secret);
      }
      message.success(t('saved'));
    });

  return (
    <Card
      size="small"
      title={webhook ? webhook.url : t('new')}
      extra={
        webhook && (
          <Space>
            <Popconfirm
              title={t('rotateConfirm')}
              onConfirm={() => run(async () => onSecret((await webhookApi.rotateSecret(webhook.id)).secret))}
            >
              <Button data-testid="rotate-secret">{t('rotate')}</Button>
            </Popconfirm>
            <Popconfirm
              title={t('deleteConfirm')}
              onConfirm={() =>
                run(async () => {
                  await webhookApi.remove(webhook.id);
                  onSaved(undefined);
                })
              }
            >
              <Button danger>{t('delete')}</Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {failure && (
        <Alert
          type="error"
          showIcon
          title={t('failed')}
          description={failure.map((line) => <div key={line}>{line}</div>)}
          style={{ marginBottom: 8 }}
          data-testid="webhook-problems"
        />
      )}
      {webhook?.disabledReason && !webhook.active && (
        <Alert
          type="warning"
          showIcon
          title={t('disabled', { reason: webhook.disabledReason })}
          style={{ marginBottom: 8 }}
        />
      )}
      <Form layout="vertical" size="small">
        <Form.Item label={t('url')} required>
          <Input
            value={value.url}
            placeholder="https://erp.example.com/hooks/crm"
            onChange={(e) => setValue({ ...value, url: e.target.value })}
            data-testid="webhook-url"
          />
        </Form.Item>
        <Form.Item label={t('description')}>
          <Input
            value={value.description ?? ''}
            onChange={(e) => setValue({ ...value, description: e.target.value || null })}
          />
        </Form.Item>
        <Form.Item label={t('modules')} required>
          <Select
            mode="multiple"
            value={value.modules}
            onChange={(names: string[]) => setValue({ ...value, modules: names })}
            options={published.map((m) => ({ value: m.name, label: localize(m.label, m.name) }))}
            data-testid="webhook-modules"
          />
        </Form.Item>
        <Form.Item label={t('events')} required>
          <Checkbox.Group
            value={value.events}
            onChange={(events) => setValue({ ...value, events: events as WebhookSettings['events'] })}
            options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: t(`event.${e}`) }))}
            data-testid="webhook-events"
          />
        </Form.Item>
        <Form.Item label={t('filter')} extra={t('filterHelp')}>
          <FeelEditor
            value={value.filter ?? ''}
            onChange={(filter) => setValue({ ...value, filter })}
            target={{ scope: 'record-event' }}
            completions={FILTER_COMPLETIONS}
            placeholder="new.amount >= 10000"
            testId="webhook-filter"
          />
        </Form.Item>
        <Form.Item label={t('active')}>
          <Switch checked={value.active} onChange={(active) => setValue({ ...value, active })} />
        </Form.Item>
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="save-webhook">
          {t('save')}
        </Button>
      </Form>
    </Card>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation(WEBHOOKS);
  const format = useFormatters();
  const { message } = App.useApp();
  const problemLines = useProblemLines();
  const deliveries = useQuery({
    queryKey: [...LIST_KEY, webhook.id, 'deliveries'],
    queryFn: () => webhookApi.deliveries(webhook.id),
  });
  const redeliver = async (delivery: WebhookDelivery) => {
    try {
      await webhookApi.redeliver(webhook.id, delivery.id);
      message.success(t('redelivered'));
      await deliveries.refetch();
    } catch (error) {
      message.error(problemLines(error).join('; '));
    }
  };
  return (
    <Card
      size="small"
      title={t('deliveries')}
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={() => void deliveries.refetch()}>
          {t('refresh')}
        </Button>
      }
    >
      {deliveries.isError ? (
        <ErrorState error={deliveries.error} />
      ) : (
        <Table<WebhookDelivery>
          size="small"
          rowKey="id"
          loading={deliveries.isPending}
          dataSource={deliveries.data?.data ?? []}
          locale={{ emptyText: t('noDeliveries') }}
          pagination={false}
          data-testid="webhook-deliveries"
          expandable={{
            expandedRowRender: (delivery) => (
              <Table
                size="small"
                rowKey="at"
                pagination={false}
                dataSource={delivery.attempts}
                columns={[
                  { title: t('at'), dataIndex: 'at', render: (at: string) => format.dateTime(at) },
                  {
                    title: t('status'),
                    dataIndex: 'status',
                    render: (status: number | null) => status ?? t('noAnswer'),
                  },
                  { title: t('duration'), dataIndex: 'durationMs', render: (ms: number) => `${ms} ms` },
                  { title: t('error'), dataIndex: 'error' },
                  {
                    title: t('response'),
                    dataIndex: 'response',
                    render: (text: string | null) => (
                      <Typography.Text code ellipsis style={{ maxWidth: 360 }}>
                        {text}
                      </Typography.Text>
                    ),
                  },
                ]}
              />
            ),
          }}
          columns={[
            { title: t('at'), dataIndex: 'createdAt', render: (at: string) => format.dateTime(at) },
            { title: t('events'), dataIndex: 'event' },
            {
              title: t('record'),
              dataIndex: 'recordId',
              render: (id: string) => <code>{id.slice(0, 8)}</code>,
            },
            {
              title: t('state'),
              dataIndex: 'state',
              render: (state: WebhookDelivery['state'], delivery) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={STATE_COLOURS[state]}>{t(`states.${state}`)}</Tag>
                  {delivery.nextAttemptAt && (
                    <Typography.Text type="secondary">
                      {t('next', { at: format.dateTime(delivery.nextAttemptAt) })}
                    </Typography.Text>
                  )}
                  {delivery.lastError && (
                    <Typography.Text type="danger">{delivery.lastError}</Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('attempts'), render: (_, delivery) => delivery.attempts.length },
            {
              title: '',
              render: (_, delivery) =>
                delivery.state !== 'pending' && (
                  <Button size="small" onClick={() => void redeliver(delivery)} data-testid="redeliver">
                    {t('redeliver')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}
