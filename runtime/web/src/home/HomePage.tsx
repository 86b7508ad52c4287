import { EmptyState, ErrorState, LoadingState, useCurrentUser, useLocalize } from '@crm/ui';
import { Card, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { WEB } from '../messages.ts';
import { useModules } from '../modules.ts';

export function HomePage() {
  const { t } = useTranslation(WEB);
  const user = useCurrentUser();
  const localize = useLocalize();
  const modules = useModules();
  return (
    <>
      <Typography.Title level={3}>{user.displayName || user.username}</Typography.Title>
      <Card title={t('modules')}>
        {modules.isPending ? (
          <LoadingState />
        ) : modules.isError ? (
          <ErrorState error={modules.error} onRetry={() => void modules.refetch()} />
        ) : modules.data.length === 0 ? (
          <EmptyState description={t('noModules')} />
        ) : (
          <List
            dataSource={modules.data}
            renderItem={(m) => (
              <List.Item>
                <Link to={`/m/${m.name}`}>{localize(m.label, m.name)}</Link>
              </List.Item>
            )}
          />
        )}
      </Card>
    </>
  );
}
