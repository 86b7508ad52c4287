import { useUnsavedChangesWarning } from '@crm/ui';
import { App as AntApp } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import { RECORD } from '../record/messages.ts';

/** While `dirty`, leaving asks first: links and the back button in the app, closing or reloading the tab. */
export function LeaveGuard({ dirty }: { dirty: boolean }) {
  const { t } = useTranslation(RECORD);
  const { modal } = AntApp.useApp();
  useUnsavedChangesWarning(dirty);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t('unsavedTitle'),
      content: t('unsaved'),
      okText: t('leave'),
      okButtonProps: { danger: true },
      cancelText: t('stay'),
      onOk: () => blocker.proceed(),
      onCancel: () => blocker.reset(),
    });
  }, [blocker, modal, t]);
  return null;
}
