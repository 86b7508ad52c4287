import { useFormatters } from '@crm/ui';
import { Card, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalStatus, TimelineAction, TimelineEntry } from './data.ts';
import { APPROVALS } from './messages.ts';

const STATUS_COLORS: Record<ApprovalStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  recalled: 'default',
  cancelled: 'default',
};
const STEP_COLORS: Record<string, string> = { approved: 'green', rejected: 'red', open: 'blue' };

export function StatusTag({ status }: { status: ApprovalStatus }) {
  const { t } = useTranslation(APPROVALS);
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

function ActionLine({ action }: { action: TimelineAction }) {
  const { t } = useTranslation(APPROVALS);
  const format = useFormatters();
  const who = action.actor?.name ?? t('system');
  return (
    <div className="crm-approval-action" data-action={action.action}>
      <Typography.Text strong>{who}</Typography.Text>{' '}
      {t(`did.${action.action}`, { defaultValue: action.action })}{' '}
      <Typography.Text type="secondary">{format.dateTime(action.at)}</Typography.Text>
      {action.comment ? (
        <div>
          <Typography.Text italic>“{action.comment}”</Typography.Text>
        </div>
      ) : null}
      {action.attachments.length > 0 ? (
        <div>
          {action.attachments.map((file) => (
            <a key={file.id} href={`/api/files/${file.id}`} download={file.name} style={{ marginRight: 8 }}>
              {file.name}
            </a>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** One approval: who submitted it when, each step with its approvers and what they did, its end. */
export function ApprovalCard({ entry, extra }: { entry: TimelineEntry; extra?: React.ReactNode }) {
  const { t } = useTranslation(APPROVALS);
  const format = useFormatters();
  const items = [
    {
      key: 'start',
      color: 'gray',
      children: t('startedBy', {
        name: entry.submitter?.name ?? t('system'),
        at: format.dateTime(entry.startedAt),
      }),
    },
    ...entry.steps.map((step) => ({
      key: step.id,
      color: STEP_COLORS[step.state] ?? 'gray',
      children: (
        <div className="crm-approval-step" data-step={step.name ?? step.elementId} data-state={step.state}>
          <Typography.Text strong>{step.name ?? step.elementId}</Typography.Text>{' '}
          <Tag>{t(`stepState.${step.state}`, { defaultValue: step.state })}</Tag>
          {step.state === 'open' ? (
            <div>
              <Typography.Text type="secondary">
                {t('waiting', {
                  names: step.approvers
                    .filter((a) => a.state === 'active')
                    .map((a) => a.name)
                    .join(', '),
                })}
              </Typography.Text>
            </div>
          ) : null}
          {step.actions.map((action) => (
            <ActionLine key={action.id} action={action} />
          ))}
        </div>
      ),
    })),
    ...entry.actions.map((action) => ({
      key: action.id,
      color: 'gray',
      children: <ActionLine action={action} />,
    })),
  ];
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="approval-card"
      title={
        <span>
          {entry.processName ?? entry.processId} <StatusTag status={entry.status} />
        </span>
      }
      extra={extra}
    >
      <Timeline items={items} />
    </Card>
  );
}
