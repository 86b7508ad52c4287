import { useFormatters } from '@crm/ui';
import { Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { MONITOR } from './messages.ts';
import type { MonitoredHistoryEvent } from './monitor-api.ts';

/** The words of an entry's data worth reading (a reason, an error), else the data as compact JSON. */
function detail(data: MonitoredHistoryEvent['data']): string | null {
  if (!data) return null;
  for (const key of ['reason', 'message', 'errorMessage', 'error']) {
    const value = data[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  const text = JSON.stringify(data);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** What happened in an instance, oldest first: when, what, at which element, who. */
export function HistoryTimeline({
  events,
  elementNames,
}: {
  events: MonitoredHistoryEvent[];
  elementNames: Map<string, string>;
}) {
  const { t } = useTranslation(MONITOR);
  const format = useFormatters();
  if (events.length === 0) return <Empty description={t('instance.noElementHistory')} />;
  return (
    <Timeline
      data-testid="history"
      items={events.map((event) => {
        const note = detail(event.data);
        const failed = event.event === 'incident-created' || event.event === 'job-failed';
        return {
          key: event.id,
          color: failed ? 'red' : event.event.startsWith('instance-') ? 'green' : 'blue',
          content: (
            <div data-testid="history-entry" data-event={event.event}>
              <Typography.Text strong>
                {t(`events.${event.event}`, { defaultValue: event.event })}
              </Typography.Text>
              {event.elementId && (
                <Typography.Text> · {elementNames.get(event.elementId) ?? event.elementId}</Typography.Text>
              )}
              <div>
                <Typography.Text type="secondary">
                  {format.dateTime(event.at)} · {event.actorName ?? (event.actor ? event.actor : t('system'))}
                </Typography.Text>
              </div>
              {note && (
                <Typography.Text type={failed ? 'danger' : undefined} style={{ fontSize: 12 }}>
                  {note}
                </Typography.Text>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
