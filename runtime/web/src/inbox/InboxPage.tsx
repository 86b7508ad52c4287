import { EmptyState } from '@crm/ui';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { WEB } from '../messages.ts';

/** Approvals and tasks waiting for the user: the approvals work fills it. */
export function InboxPage() {
  const { t } = useTranslation(WEB);
  return (
    <>
      <Typography.Title level={3}>{t('inbox')}</Typography.Title>
      <EmptyState description={t('inboxSoon')} />
    </>
  );
}
