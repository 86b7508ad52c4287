import { EmptyState, ErrorState, LoadingState, useFormatters } from '@crm/ui';
import { Badge, Button, Card, Grid, List, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { StatusTag } from '../approvals/ApprovalTimeline.tsx';
import {
  INBOX_LISTS,
  type InboxEntry,
  type InboxList,
  useInboxCounts,
  useInboxList,
} from '../approvals/data.ts';
import { APPROVALS } from '../approvals/messages.ts';
import { TaskDrawer } from '../approvals/TaskDrawer.tsx';

/** The record's title (the server's, with the entry) as a link. */
function RecordLink({ entry }: { entry: InboxEntry }) {
  if (!entry.module || !entry.recordId) return null;
  const title = entry.recordTitle ?? entry.recordId;
  return (
    <Link to={`/m/${entry.module}/${entry.recordId}`} onClick={(event) => event.stopPropagation()}>
      {title}
    </Link>
  );
}

/** What the step column says: the pending step, the acted step, or the submitted approval's open steps. */
function stepOf(entry: InboxEntry): string {
  return entry.currentSteps?.join(', ') ?? entry.stepName ?? '';
}

function timeOf(entry: InboxEntry): string {
  return entry.createdAt ?? entry.at ?? entry.startedAt;
}

function InboxTab({ list, onOpen }: { list: InboxList; onOpen: (entry: InboxEntry) => void }) {
  const { t } = useTranslation(APPROVALS);
  const format = useFormatters();
  const phone = Grid.useBreakpoint().md === false;
  const query = useInboxList(list);
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const entries = query.data.pages.flatMap((page) => page.data);
  if (entries.length === 0) return <EmptyState description={t(`empty.${list}`)} />;
  const keyOf = (entry: InboxEntry) => `${entry.instanceId}:${entry.taskId ?? ''}:${timeOf(entry)}`;
  const more = query.hasNextPage ? (
    <div style={{ textAlign: 'center', marginTop: 12 }}>
      <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
        {t('loadMore')}
      </Button>
    </div>
  ) : null;
  const title = (entry: InboxEntry) => entry.processName ?? entry.processId;

  if (phone) {
    return (
      <>
        <List
          dataSource={entries}
          rowKey={keyOf}
          renderItem={(entry) => (
            <Card
              size="small"
              className="crm-inbox-card"
              data-testid="inbox-entry"
              style={{ marginBottom: 8, cursor: 'pointer' }}
              title={title(entry)}
              extra={<StatusTag status={entry.status} />}
              onClick={() => onOpen(entry)}
            >
              <div>
                <RecordLink entry={entry} />
              </div>
              <Typography.Text type="secondary">
                {[stepOf(entry), entry.submitter?.name, format.dateTime(timeOf(entry))]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography.Text>
            </Card>
          )}
        />
        {more}
      </>
    );
  }
  return (
    <>
      <Table<InboxEntry>
        size="middle"
        rowKey={keyOf}
        dataSource={entries}
        pagination={false}
        onRow={(entry) => ({ onClick: () => onOpen(entry), style: { cursor: 'pointer' } })}
        rowClassName={() => 'crm-inbox-row'}
        columns={[
          { key: 'process', title: t('column.process'), render: (_, entry) => title(entry) },
          { key: 'record', title: t('column.record'), render: (_, entry) => <RecordLink entry={entry} /> },
          { key: 'step', title: t('column.step'), render: (_, entry) => stepOf(entry) },
          { key: 'submitter', title: t('column.submitter'), render: (_, entry) => entry.submitter?.name },
          { key: 'status', title: '', render: (_, entry) => <StatusTag status={entry.status} /> },
          {
            key: 'time',
            title: t('column.time'),
            render: (_, entry) => format.dateTime(timeOf(entry)),
          },
        ]}
      />
      {more}
    </>
  );
}

/** The approvals inbox: pending, done, CC'd to me and submitted by me, each with its count. */
export function InboxPage() {
  const { t } = useTranslation(APPROVALS);
  const counts = useInboxCounts();
  const [params, setParams] = useSearchParams();
  const tab = (INBOX_LISTS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as InboxList)
    : 'pending';
  const [taskId, setTaskId] = useState<string | null>(null);
  const navigate = useNavigate();

  // an entry with a task opens it; one without (CC'd, submitted) opens its record's approvals
  const open = (entry: InboxEntry) => {
    if (entry.taskId) setTaskId(entry.taskId);
    else if (entry.module && entry.recordId) navigate(`/m/${entry.module}/${entry.recordId}?tab=approvals`);
  };
  const countOf = (list: InboxList) =>
    list === 'submitted' ? counts.data?.submittedPending : counts.data?.[list];

  return (
    <div data-testid="inbox-page">
      <Typography.Title level={3}>{t('title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={INBOX_LISTS.map((list) => ({
          key: list,
          label: (
            <span data-testid={`inbox-tab-${list}`}>
              {t(`tabs.${list}`)}{' '}
              <Badge
                count={countOf(list) ?? 0}
                showZero={false}
                color={list === 'pending' ? 'red' : 'blue'}
              />
            </span>
          ),
          children: <InboxTab list={list} onOpen={open} />,
        }))}
      />
      <TaskDrawer taskId={taskId} onClose={() => setTaskId(null)} />
    </div>
  );
}
