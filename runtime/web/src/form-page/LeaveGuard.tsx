import { useUnsavedChangesWarning } from '@crm/ui';
import { App as AntApp } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import { RECORD } from '../record/messages.ts';

/**
 * The navigation state that passes the guard: going to the record just saved. The blocker registered with
 * the form's last render may still think it dirty (its clean render can come after the navigation, on a
 * busy machine), so the saved navigation says so itself.
 */
export const SAVED_STATE = { saved: true } as const;

function isSavedNavigation(state: unknown): boolean {
  return typeof state === 'object' && state !== null && (state as { saved?: unknown }).saved === true;
}

/** While `dirty`, leaving asks first: links and the back button in the app, closing or reloading the tab. */
export function LeaveGuard({ dirty }: { dirty: boolean }) {
  const { t } = useTranslation(RECORD);
  const { modal } = AntApp.useApp();
  useUnsavedChangesWarning(dirty);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && currentLocation.pathname !== nextLocation.pathname && !isSavedNavigation(nextLocation.state),
  );
  const current = useRef(blocker);
  current.current = blocker;
  // one question per blocked navigation (the blocker object changes identity on every render)
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    const blocked = current.current;
    modal.confirm({
      title: t('unsavedTitle'),
      content: t('unsaved'),
      okText: t('leave'),
      okButtonProps: { danger: true },
      cancelText: t('stay'),
      onOk: () => blocked.proceed?.(),
      onCancel: () => blocked.reset?.(),
    });
  }, [blocker.state, modal, t]);
  return null;
}
