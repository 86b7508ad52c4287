import type { JsonSchema } from '@crm/engine/browser';
import { ErrorState, FieldValue, formText, LoadingState, useLocale } from '@crm/ui';
import { Button, Card, Descriptions, Drawer, Grid, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { recordTitle, useFormServices, useModuleForm, useRecord } from '../record/data.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { ApprovalCard } from './ApprovalTimeline.tsx';
import { type TaskAction, useApprovalsRefresh, useTaskDetail, useTimeline } from './data.ts';
import { APPROVALS } from './messages.ts';

/** How many of the record's fields the drawer shows (the form's first ones). */
const KEY_FIELDS = 8;

function RecordSummary({ module, id }: { module: string; id: string }) {
  const { t } = useTranslation(APPROVALS);
  const locale = useLocale();
  const services = useFormServices();
  const form = useModuleForm(module);
  const record = useRecord(module, id);
  if (form.isPending || record.isPending) return <LoadingState />;
  if (form.isError) return <ErrorState error={form.error} />;
  if (record.isError) return <ErrorState error={record.error} />;
  const properties = (form.data.jsonSchema.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(properties)
    .filter((name) => (form.data.uiSchema[name] as JsonSchema | undefined)?.['ui:widget'] !== 'subtable')
    .slice(0, KEY_FIELDS);
  return (
    <Card
      size="small"
      title={t('keyFields')}
      extra={<Link to={`/m/${module}/${id}`}>{recordTitle(form.data, record.data)}</Link>}
      style={{ marginBottom: 16 }}
    >
      <Descriptions
        size="small"
        column={1}
        items={names.map((name) => ({
          key: name,
          label: String(properties[name].title ?? name),
          children: (
            <FieldValue
              value={record.data[name]}
              schema={properties[name]}
              ui={form.data.uiSchema[name] as JsonSchema | undefined}
              locale={locale}
              text={formText(locale)}
              services={services}
            />
          ),
        }))}
      />
    </Card>
  );
}

function Timeline({ module, id, instanceId }: { module: string; id: string; instanceId: string }) {
  const timeline = useTimeline(module, id);
  if (timeline.isPending) return <LoadingState />;
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />;
  const entry = timeline.data.find((each) => each.instanceId === instanceId);
  return entry ? <ApprovalCard entry={entry} /> : null;
}

/** An approval task: the record's key fields, the approval's timeline, and the actions the user may take. */
export function TaskDrawer({ taskId, onClose }: { taskId: string | null; onClose: () => void }) {
  const { t } = useTranslation(APPROVALS);
  const phone = Grid.useBreakpoint().md === false;
  const detail = useTaskDetail(taskId);
  const refresh = useApprovalsRefresh();
  const [action, setAction] = useState<TaskAction | null>(null);
  const approval = detail.data?.approval;

  let body: React.ReactNode = <LoadingState />;
  if (detail.isError) body = <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  else if (detail.data && approval) {
    body = (
      <>
        {approval.module && approval.recordId ? (
          <RecordSummary module={approval.module} id={approval.recordId} />
        ) : null}
        {approval.module && approval.recordId ? (
          <Timeline module={approval.module} id={approval.recordId} instanceId={approval.instanceId} />
        ) : null}
      </>
    );
  }
  const actions = detail.data?.actions ?? [];
  return (
    <Drawer
      open={taskId !== null}
      onClose={onClose}
      size={phone ? '100%' : 640}
      title={
        approval ? `${approval.processName ?? approval.processId} · ${detail.data?.step?.name ?? ''}` : ''
      }
      rootClassName="crm-task-drawer"
      footer={
        detail.data ? (
          actions.length === 0 ? (
            <Typography.Text type="secondary">{t('noActions')}</Typography.Text>
          ) : (
            <Space wrap>
              {actions.map((each) => (
                <Button
                  key={each}
                  type={each === 'approve' || each === 'resubmit' ? 'primary' : 'default'}
                  danger={each === 'reject'}
                  onClick={() => setAction(each)}
                >
                  {t(`action.${each}`)}
                </Button>
              ))}
            </Space>
          )
        ) : null
      }
    >
      {body}
      {detail.data ? (
        <ActionDialog
          task={detail.data}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            refresh();
          }}
        />
      ) : null}
    </Drawer>
  );
}
