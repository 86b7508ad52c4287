import { useCurrentUser } from '@crm/ui';
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DESIGNER } from './messages.ts';

/** The designer is for administrators: anyone else is told so, with the way back to the app. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation(DESIGNER);
  const user = useCurrentUser();
  if (!user.isAdmin) {
    return (
      <Result
        status="403"
        title={t('adminOnly.title')}
        subTitle={t('adminOnly.detail')}
        extra={
          <Button type="primary" href="/">
            {t('adminOnly.back')}
          </Button>
        }
        data-testid="admin-only"
      />
    );
  }
  return children;
}
