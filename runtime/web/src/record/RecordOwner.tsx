import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormServices } from './data.ts';
import { RECORD } from './messages.ts';

/** Whose the record is, by name (the owner is a system field, in no layout); "no owner" for a pooled one. */
export function RecordOwner({ owner }: { owner: string | null }) {
  const { t } = useTranslation(RECORD);
  const services = useFormServices();
  const name = useQuery({
    queryKey: ['user-name', owner],
    queryFn: async () => (await services.users([owner ?? '']))[0]?.label ?? null,
    enabled: owner !== null,
  });
  return (
    <Typography.Text type="secondary" data-testid="record-owner">
      {owner === null ? t('noOwner') : t('owner', { name: name.data ?? '…' })}
    </Typography.Text>
  );
}
