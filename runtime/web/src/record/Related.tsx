import type { RelatedListInfo } from '@crm/engine/browser';
import { api, EmptyState, ErrorState, type RecordPage as Page, useLocalize } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Card, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { recordPath } from './data.ts';
import { RECORD } from './messages.ts';

const PAGE = 20;

function RelatedList({ module, id, list }: { module: string; id: string; list: RelatedListInfo }) {
  const { t } = useTranslation(RECORD);
  const localize = useLocalize();
  const records = useQuery({
    queryKey: ['related', module, id, list.name],
    queryFn: () =>
      api.get<Page>(`${recordPath(module, id)}/related/${encodeURIComponent(list.name)}`, {
        query: { limit: PAGE, count: true, fields: ['id', list.titleField].join(',') },
      }),
  });
  const total = records.data?.total ?? 0;
  return (
    <Card
      size="small"
      title={`${localize(list.label, list.name)}${records.data ? ` (${total})` : ''}`}
      style={{ marginBottom: 16 }}
      data-testid={`related-${list.name}`}
    >
      {records.isError ? (
        <ErrorState error={records.error} onRetry={() => void records.refetch()} />
      ) : (
        <List
          size="small"
          loading={records.isPending}
          locale={{ emptyText: t('noneRelated') }}
          dataSource={records.data?.data ?? []}
          renderItem={(record) => (
            <List.Item>
              <Link to={`/m/${list.module}/${record.id}`}>
                {String(record[list.titleField] ?? record.id)}
              </Link>
            </List.Item>
          )}
          footer={
            total > PAGE ? (
              <Typography.Text type="secondary">{t('more', { count: total - PAGE })}</Typography.Text>
            ) : null
          }
        />
      )}
    </Card>
  );
}

/** The lists of records pointing at this one (contacts of a customer, lines of a quote…). */
export function Related({ module, id, lists }: { module: string; id: string; lists: RelatedListInfo[] }) {
  const { t } = useTranslation(RECORD);
  if (lists.length === 0) return <EmptyState description={t('noRelated')} />;
  return (
    <>
      {lists.map((list) => (
        <RelatedList key={list.name} module={module} id={id} list={list} />
      ))}
    </>
  );
}
