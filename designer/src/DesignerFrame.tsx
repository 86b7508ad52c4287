import {
  ApartmentOutlined,
  ApiOutlined,
  AppstoreOutlined,
  DashboardOutlined,
  ExportOutlined,
  SafetyOutlined,
} from '@ant-design/icons';
import { AppFrame } from '@crm/ui';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { DESIGNER } from './messages.ts';

/** The designer's frame: the shared header and a menu of the designer's areas. */
export function DesignerFrame() {
  const { t } = useTranslation(DESIGNER);
  const menu: MenuProps['items'] = [
    { key: '/', icon: <AppstoreOutlined />, label: <Link to="/">{t('menu.modules')}</Link> },
    {
      key: '/workflows',
      icon: <ApartmentOutlined />,
      label: <Link to="/workflows">{t('menu.workflows')}</Link>,
    },
    {
      key: '/monitor',
      icon: <DashboardOutlined />,
      label: <Link to="/monitor">{t('menu.monitor')}</Link>,
    },
    { key: '/roles', icon: <SafetyOutlined />, label: <Link to="/roles">{t('menu.roles')}</Link> },
    { key: '/packages', icon: <ExportOutlined />, label: <Link to="/packages">{t('menu.packages')}</Link> },
    { key: '/webhooks', icon: <ApiOutlined />, label: <Link to="/webhooks">{t('menu.webhooks')}</Link> },
  ];
  return (
    <AppFrame title={t('title')} menu={menu}>
      <Outlet />
    </AppFrame>
  );
}
