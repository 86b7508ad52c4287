import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { WEB } from '../messages.ts';

/** A record's page (fields, related lists, history, attachments): built by the form engineer. */
export function RecordPage() {
  const { t } = useTranslation(WEB);
  const { id } = useParams();
  return <Typography.Title level={3}>{t('record.placeholder', { id })}</Typography.Title>;
}
