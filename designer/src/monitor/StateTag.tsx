import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { MONITOR } from './messages.ts';
import type { InstanceState } from './monitor-api.ts';

const COLORS: Record<InstanceState, string> = {
  active: 'processing',
  completed: 'success',
  terminated: 'error',
  cancelled: 'default',
};

/** An instance's state as a coloured tag. */
export function StateTag({ state }: { state: InstanceState }) {
  const { t } = useTranslation(MONITOR);
  return (
    <Tag color={COLORS[state]} data-testid="instance-state" data-state={state}>
      {t(`states.${state}`)}
    </Tag>
  );
}
