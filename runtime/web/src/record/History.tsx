import type { HistoryEntry, JsonSchema } from '@crm/engine/browser';
import {
  api,
  EmptyState,
  ErrorState,
  FieldValue,
  type FormServices,
  formText,
  LoadingState,
  type Locale,
  useFormatters,
} from '@crm/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ModuleForm, recordPath } from './data.ts';
import { RECORD } from './messages.ts';

interface HistoryProps {
  module: string;
  id: string;
  form: ModuleForm;
  locale: Locale;
  services: FormServices;
  /** The record's current version: restoring it would change nothing. */
  currentVersion: number;
  onRestored: () => void;
}

function useActorNames(services: FormServices, entries: HistoryEntry[] | undefined) {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const ids = [...new Set((entries ?? []).map((e) => e.actor).filter((a): a is string => a !== null))];
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    if (key) {
      services
        .users(key.split(','))
        .then((found) => live && setNames(new Map(found.map((c) => [c.value, c.label]))))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [key, services]);
  return names;
}

/** The record's history, newest first: who changed what from what to what, and a restore per version. */
export function History(props: HistoryProps) {
  const { module, id, form, locale, services } = props;
  const { t } = useTranslation(RECORD);
  const format = useFormatters();
  const { modal, message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const text = formText(locale);
  const history = useQuery({
    queryKey: ['history', module, id],
    queryFn: () => api.get<HistoryEntry[]>(`${recordPath(module, id)}/history`, { query: { limit: 100 } }),
  });
  const names = useActorNames(services, history.data);
  if (history.isPending) return <LoadingState />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.length === 0) return <EmptyState description={t('noHistory')} />;

  const properties = (form.jsonSchema.properties ?? {}) as Record<string, JsonSchema>;
  const label = (field: string) => String(properties[field]?.title ?? field);
  const value = (field: string, v: unknown) => (
    <FieldValue
      value={v}
      schema={properties[field]}
      ui={form.uiSchema[field] as JsonSchema | undefined}
      locale={locale}
      text={text}
      services={services}
    />
  );
  const restore = (version: number) =>
    modal.confirm({
      title: t('restore'),
      content: t('restoreConfirm', { version }),
      onOk: async () => {
        await api.post(`${recordPath(module, id)}/history/${version}/revert`);
        message.success(t('restored', { version }));
        await queryClient.invalidateQueries({ queryKey: ['history', module, id] });
        props.onRestored();
      },
    });

  return (
    <Timeline
      data-testid="history"
      items={history.data.map((entry) => {
        const who = entry.actor === null ? t('system') : (names.get(entry.actor) ?? t('someone'));
        const op =
          entry.op === 'revert' ? t('op.revert', { version: entry.revertedTo }) : t(`op.${entry.op}`);
        const changes = Object.entries(entry.changes);
        return {
          key: entry.version,
          children: (
            <div className="crm-history-entry" data-version={entry.version}>
              <Typography.Text strong>{who}</Typography.Text> {op}{' '}
              <Typography.Text type="secondary">
                {format.dateTime(entry.at)} · {t('version', { version: entry.version })}
              </Typography.Text>
              {entry.op !== 'create' && changes.length > 0 ? (
                <ul className="crm-history-changes">
                  {changes.map(([field, change]) => (
                    <li key={field}>
                      <Typography.Text>{label(field)}</Typography.Text>
                      {': '}
                      {change.rows ? (
                        <Typography.Text type="secondary">
                          {[
                            change.rows.added.length > 0
                              ? t('rowsAdded', { count: change.rows.added.length })
                              : '',
                            change.rows.changed.length > 0
                              ? t('rowsChanged', { count: change.rows.changed.length })
                              : '',
                            change.rows.removed.length > 0
                              ? t('rowsRemoved', { count: change.rows.removed.length })
                              : '',
                          ]
                            .filter(Boolean)
                            .join(', ')}
                        </Typography.Text>
                      ) : (
                        <>
                          <del>{value(field, change.from)}</del> → {value(field, change.to)}
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              ) : null}
              {entry.version !== props.currentVersion && entry.op !== 'delete' ? (
                <div>
                  <Button
                    size="small"
                    type="link"
                    style={{ padding: 0 }}
                    onClick={() => restore(entry.version)}
                  >
                    {t('restore')}
                  </Button>
                </div>
              ) : null}
            </div>
          ),
        };
      })}
    />
  );
}
