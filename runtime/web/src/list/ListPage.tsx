import { api, ErrorState, LoadingState, type RecordPage, useLocalize } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Table, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { usePublishedDefinition } from '../definitions.ts';

/** A module's records. */
export function ListPage() {
  const { module = '' } = useParams();
  const localize = useLocalize();
  const definition = usePublishedDefinition(module);
  const records = useQuery({
    queryKey: ['records', module],
    queryFn: () =>
      api.get<RecordPage>(`/api/modules/${encodeURIComponent(module)}/records`, {
        query: { limit: 50, count: true },
      }),
  });
  if (definition.isPending) return <LoadingState />;
  if (definition.isError)
    return <ErrorState error={definition.error} onRetry={() => void definition.refetch()} />;
  const def = definition.data;
  if (!def) return <ErrorState status={404} />;
  const fields = def.fields.slice(0, 6);
  return (
    <>
      <Typography.Title level={3}>{localize(def.pluralLabel ?? def.label, def.name)}</Typography.Title>
      {records.isError ? (
        <ErrorState error={records.error} onRetry={() => void records.refetch()} />
      ) : (
        <Table
          rowKey="id"
          loading={records.isPending}
          dataSource={records.data?.data}
          pagination={false}
          columns={fields.map((f, i) => ({
            key: f.name,
            dataIndex: f.name,
            title: localize(f.label, f.name),
            render: (value: unknown, row: { id: string }) =>
              i === 0 ? (
                <Link to={`/m/${module}/${row.id}`}>{String(value ?? '')}</Link>
              ) : (
                String(value ?? '')
              ),
          }))}
        />
      )}
    </>
  );
}
