import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { WEB } from '../messages.ts';

/** The generated form for a new record (`/m/:module/new`) or an existing one: built by the form engineer. */
export function RecordForm() {
  const { t } = useTranslation(WEB);
  const { module } = useParams();
  return <Typography.Title level={3}>{t('record.newTitle', { module })}</Typography.Title>;
}
