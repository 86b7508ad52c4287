import { ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { InstanceList } from './InstanceList.tsx';
import { MONITOR } from './messages.ts';
import { IncidentsTab, SchedulesTab, StuckTab } from './OperationsTabs.tsx';

const TABS = ['instances', 'incidents', 'stuck', 'schedules'] as const;
type Tab = (typeof TABS)[number];

/** The process monitor: instances, open incidents, stuck work and schedules, one tab each (`/monitor/:tab`). */
export function MonitorPage() {
  const { t } = useTranslation(MONITOR);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const wanted = useParams().tab;
  const tab: Tab = TABS.find((each) => each === wanted) ?? 'instances';
  const content: Record<Tab, React.ReactNode> = {
    instances: <InstanceList />,
    incidents: <IncidentsTab />,
    stuck: <StuckTab />,
    schedules: <SchedulesTab />,
  };
  return (
    <div data-testid="monitor-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void queryClient.invalidateQueries({ queryKey: ['monitor'] })}
          data-testid="monitor-refresh"
        >
          {t('refresh')}
        </Button>
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(key === 'instances' ? '/monitor' : `/monitor/${key}`)}
        destroyOnHidden
        items={TABS.map((key) => ({
          key,
          label: <span data-testid={`monitor-tab-${key}`}>{t(`tabs.${key}`)}</span>,
          children: content[key],
        }))}
      />
    </div>
  );
}
