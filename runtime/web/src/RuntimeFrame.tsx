import { AppstoreOutlined, HomeOutlined, InboxOutlined } from '@ant-design/icons';
import { AppFrame, useLocalize } from '@crm/ui';
import { Badge, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useInboxCounts } from './approvals/data.ts';
import { WEB } from './messages.ts';
import { useModules } from './modules.ts';

/** The frame with the menu: home, the inbox with its pending count, then one entry per published module. */
export function RuntimeFrame() {
  const { t } = useTranslation(WEB);
  const localize = useLocalize();
  const modules = useModules();
  const pending = useInboxCounts().data?.pending ?? 0;
  const moduleItems: MenuProps['items'] = (modules.data ?? []).map((m) => ({
    key: `/m/${m.name}`,
    icon: <AppstoreOutlined />,
    label: <Link to={`/m/${m.name}`}>{localize(m.label, m.name)}</Link>,
  }));
  const menu: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: <Link to="/">{t('home')}</Link> },
    {
      key: '/inbox',
      icon: <InboxOutlined />,
      label: (
        <Link to="/inbox" data-testid="menu-inbox">
          {t('inbox')} <Badge count={pending} size="small" offset={[4, -2]} />
        </Link>
      ),
    },
    { type: 'group', key: 'modules', label: t('modules'), children: moduleItems },
  ];
  return (
    <AppFrame title="CRM" menu={menu}>
      <Outlet />
    </AppFrame>
  );
}
