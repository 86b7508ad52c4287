import {
  EmptyState,
  ErrorState,
  errorMessage,
  LoadingState,
  useCurrentUser,
  useLocale,
  useLocalize,
} from '@crm/ui';
import { App as AntApp, Button, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApprovalCard } from './ApprovalTimeline.tsx';
import {
  actOnInstance,
  startRecordAction,
  type TimelineEntry,
  useApprovalsRefresh,
  useRecordActions,
  useTimeline,
} from './data.ts';
import { APPROVALS } from './messages.ts';

/** Recall and remind, for the submitter of an approval still under way. */
function SubmitterActions({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation(APPROVALS);
  const locale = useLocale();
  const { message } = AntApp.useApp();
  const refresh = useApprovalsRefresh();
  const run = async (action: 'recall' | 'remind') => {
    try {
      await actOnInstance(entry.instanceId, action);
      message.success(t(action === 'recall' ? 'recalled' : 'reminded'));
      refresh();
    } catch (failure) {
      message.error(errorMessage(failure, locale));
    }
  };
  return (
    <Space>
      <Button size="small" onClick={() => void run('remind')}>
        {t('action.remind')}
      </Button>
      <Popconfirm title={t('recallConfirm')} onConfirm={() => run('recall')}>
        <Button size="small" danger>
          {t('action.recall')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** The record page's approvals tab: its manual actions (submit for approval…) and every approval's timeline. */
export function RecordApprovals({ module, id }: { module: string; id: string }) {
  const { t } = useTranslation(APPROVALS);
  const locale = useLocale();
  const localize = useLocalize();
  const { message } = AntApp.useApp();
  const user = useCurrentUser();
  const refresh = useApprovalsRefresh();
  const actions = useRecordActions(module, id);
  const timeline = useTimeline(module, id);
  const [starting, setStarting] = useState<string | null>(null);

  const start = async (processId: string) => {
    setStarting(processId);
    try {
      await startRecordAction(module, id, processId);
      message.success(t('started'));
      refresh();
    } catch (failure) {
      message.error(errorMessage(failure, locale));
    } finally {
      setStarting(null);
    }
  };

  return (
    // data-actions: how many actions the server offers now (absent while loading)
    <div data-testid="record-approvals" data-actions={actions.data?.length}>
      {actions.data && actions.data.length > 0 ? (
        <Space wrap style={{ marginBottom: 16 }}>
          {actions.data.map((action) => (
            <Button
              key={action.processId}
              type="primary"
              loading={starting === action.processId}
              onClick={() => void start(action.processId)}
            >
              {localize(action.label, action.processName)}
            </Button>
          ))}
        </Space>
      ) : null}
      {timeline.isPending ? <LoadingState /> : null}
      {timeline.isError ? (
        <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : null}
      {timeline.data?.length === 0 ? <EmptyState description={t('noApprovals')} /> : null}
      {timeline.data?.map((entry) => (
        <ApprovalCard
          key={entry.instanceId}
          entry={entry}
          extra={
            entry.status === 'pending' && entry.submitter?.id === user.id ? (
              <SubmitterActions entry={entry} />
            ) : null
          }
        />
      ))}
    </div>
  );
}
