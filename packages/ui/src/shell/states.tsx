import { Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../api/errors.ts';
import { useLocale } from '../i18n/i18n.ts';

const frame = (fullPage: boolean) => (fullPage ? 'crm-state crm-state-full' : 'crm-state');

export function LoadingState({ fullPage = false, tip }: { fullPage?: boolean; tip?: string }) {
  const { t } = useTranslation();
  return (
    <div className={frame(fullPage)} role="status" aria-live="polite" data-testid="loading">
      <Spin description={tip ?? t('state.loading')} />
    </div>
  );
}

export function EmptyState({ description, children }: { description?: ReactNode; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="crm-state" data-testid="empty">
      <Empty description={description ?? t('state.empty')}>{children}</Empty>
    </div>
  );
}

/** A failure: 403 and 404 get their own words; anything else the API's message and a retry. */
export function ErrorState({
  error,
  status,
  onRetry,
  fullPage = false,
  extra,
}: {
  error?: unknown;
  status?: number;
  onRetry?: () => void;
  fullPage?: boolean;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const code = status ?? (error instanceof ApiError ? error.status : undefined);
  const title =
    code === 404
      ? t('state.notFound')
      : code === 403
        ? t('state.forbidden')
        : code === 0
          ? t('state.offline')
          : t('state.error');
  const resultStatus = code === 404 ? '404' : code === 403 ? '403' : 'error';
  return (
    <div className={frame(fullPage)} role="alert" data-testid="error">
      <Result
        status={resultStatus}
        title={title}
        subTitle={error !== undefined && code !== 404 ? errorMessage(error, locale) : undefined}
        extra={
          <>
            {onRetry && <Button onClick={onRetry}>{t('state.retry')}</Button>}
            {extra}
          </>
        }
      />
    </div>
  );
}
