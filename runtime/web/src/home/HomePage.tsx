import type { ModuleDefinition } from '@crm/engine/browser';
import {
  ApiError,
  api,
  EmptyState,
  ErrorState,
  type LabelMap,
  LoadingState,
  type ModuleSummary,
  type RecordPage,
  useCurrentUser,
  useFormatters,
  useLocalize,
} from '@crm/ui';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { Card, Col, List, Row, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { WEB } from '../messages.ts';
import { useModules } from '../modules.ts';

interface Task {
  id: string;
  name: string | null;
  element_id: string;
  process_id: string;
  created_at: string;
}

/** A notification as GET /api/notifications lists them (texts plain or per locale). */
interface Notice {
  id: string;
  kind: string;
  title: string | LabelMap;
  body: string | LabelMap | null;
  link: { module?: string; recordId?: string; taskId?: string } | null;
  createdAt: string;
  readAt: string | null;
}

interface RecentRecord {
  module: ModuleSummary;
  id: string;
  title: string;
  updatedAt: string;
}

/** A card's body for a query: loading, error (with retry), empty, or the items. */
function QueryBody<T>({
  query,
  empty,
  children,
}: {
  query: UseQueryResult<T[]>;
  empty: string;
  children(items: T[]): ReactNode;
}) {
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.length === 0) return <EmptyState description={empty} />;
  return children(query.data);
}

/** The records I changed last, across the modules (each module's own list, newest first). */
function useRecentRecords(userId: string, modules: ModuleSummary[] | undefined) {
  return useQuery({
    queryKey: ['recent-records', userId, modules?.map((m) => m.name)],
    enabled: modules !== undefined,
    queryFn: async () => {
      const perModule = await Promise.all(
        (modules ?? []).map(async (module) => {
          const state = await api.get<{ published: ModuleDefinition | null }>(
            `/api/meta/modules/${module.name}`,
          );
          const titleField = state.published?.titleField ?? state.published?.fields[0]?.name ?? 'id';
          try {
            const page = await api.get<RecordPage>(`/api/modules/${module.name}/records`, {
              query: {
                filter: { field: 'updated_by', op: 'eq', value: userId },
                sort: '-updated_at',
                limit: 5,
                fields: titleField,
              },
            });
            return page.data.map((r) => ({
              module,
              id: r.id,
              title: String(r[titleField] ?? r.id),
              updatedAt: r.updated_at,
            }));
          } catch (error) {
            // a module the user may not read has no recent records of theirs to show
            if (error instanceof ApiError && error.status === 403) return [];
            throw error;
          }
        }),
      );
      return perModule
        .flat()
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, 10) satisfies RecentRecord[];
    },
  });
}

/** Home: my pending tasks, my recent records, notices. */
export function HomePage() {
  const { t } = useTranslation(WEB);
  const user = useCurrentUser();
  const localize = useLocalize();
  const format = useFormatters();
  const modules = useModules();
  const tasks = useQuery({ queryKey: ['my-tasks'], queryFn: () => api.get<Task[]>('/api/workflows/tasks') });
  const recent = useRecentRecords(user.id, modules.data);
  const notices = useQuery({
    queryKey: ['notifications'],
    queryFn: async () => {
      const page = await api.get<{ data: Notice[] }>('/api/notifications', { query: { limit: 10 } });
      return page.data;
    },
  });

  return (
    <>
      <Typography.Title level={3}>
        {t('welcome', { name: user.displayName || user.username })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('myTasks')} extra={<Link to="/inbox">{t('inbox')}</Link>} data-testid="home-tasks">
            <QueryBody query={tasks} empty={t('noTasks')}>
              {(items) => (
                <List
                  dataSource={items}
                  renderItem={(task) => (
                    <List.Item>
                      <List.Item.Meta
                        title={task.name ?? task.element_id}
                        description={`${task.process_id} · ${format.dateTime(task.created_at)}`}
                      />
                    </List.Item>
                  )}
                />
              )}
            </QueryBody>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('recent')} data-testid="home-recent">
            <QueryBody query={recent} empty={t('noRecent')}>
              {(items) => (
                <List
                  dataSource={items}
                  renderItem={(item) => (
                    <List.Item extra={format.dateTime(item.updatedAt)}>
                      <Tag>{localize(item.module.label, item.module.name)}</Tag>
                      <Link to={`/m/${item.module.name}/${item.id}`}>{item.title}</Link>
                    </List.Item>
                  )}
                />
              )}
            </QueryBody>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('notices')} data-testid="home-notices">
            <QueryBody query={notices} empty={t('noNotices')}>
              {(items) => (
                <List
                  dataSource={items}
                  renderItem={(notice) => (
                    <List.Item extra={format.dateTime(notice.createdAt)}>
                      <List.Item.Meta
                        title={
                          notice.link?.module && notice.link.recordId ? (
                            <Link to={`/m/${notice.link.module}/${notice.link.recordId}`}>
                              {localize(notice.title)}
                            </Link>
                          ) : (
                            <Typography.Text strong={notice.readAt === null}>
                              {localize(notice.title)}
                            </Typography.Text>
                          )
                        }
                        description={notice.body ? localize(notice.body) : undefined}
                      />
                    </List.Item>
                  )}
                />
              )}
            </QueryBody>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('modules')}>
            <QueryBody query={modules} empty={t('noModules')}>
              {(items) => (
                <List
                  dataSource={items}
                  renderItem={(m) => (
                    <List.Item>
                      <Link to={`/m/${m.name}`}>{localize(m.label, m.name)}</Link>
                    </List.Item>
                  )}
                />
              )}
            </QueryBody>
          </Card>
        </Col>
      </Row>
    </>
  );
}
