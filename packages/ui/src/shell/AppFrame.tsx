import { MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { UserMenu } from './UserMenu.tsx';

export interface AppFrameProps {
  /** The app's name in the header. */
  title: ReactNode;
  /** Menu items; their keys are the paths they lead to. */
  menu: MenuProps['items'];
  /** The key of the menu item to mark (defaults to the longest item key the path starts with). */
  selectedKey?: string;
  userMenuItems?: MenuProps['items'];
  /** Extra things in the header, before the language switch. */
  headerExtra?: ReactNode;
  children: ReactNode;
}

type Item = NonNullable<MenuProps['items']>[number];

function keysOf(items: MenuProps['items']): string[] {
  return (items ?? []).flatMap((item: Item) => {
    if (!item || !('key' in item) || item.key === undefined) return [];
    const children = 'children' in item && Array.isArray(item.children) ? keysOf(item.children) : [];
    return [String(item.key), ...children];
  });
}

/** The key of `path`'s item: the longest key that is the path or a parent of it. */
export function selectedMenuKey(items: MenuProps['items'], path: string): string | undefined {
  return keysOf(items)
    .filter((key) => key === path || (key !== '/' && path.startsWith(`${key}/`)))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * The frame of both apps: a header (title, language, user), the menu as a side bar on wide screens and
 * as a drawer on phones, and the page.
 */
export function AppFrame({ title, menu, selectedKey, userMenuItems, headerExtra, children }: AppFrameProps) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const location = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const selected = selectedKey ?? selectedMenuKey(menu, location.pathname);

  // a tap on a menu item navigates; the drawer should not stay over the new page
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every navigation
  useEffect(() => setDrawerOpen(false), [location.pathname]);

  const nav = (
    <Menu
      mode="inline"
      items={menu}
      selectedKeys={selected ? [selected] : []}
      style={{ borderInlineEnd: 'none' }}
      data-testid="app-menu"
    />
  );

  return (
    <Layout className="crm-frame">
      <Layout.Header className="crm-header">
        {phone && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('menu')}
            onClick={() => setDrawerOpen(true)}
            data-testid="menu-button"
          />
        )}
        <Link to="/" className="crm-header-title">
          {title}
        </Link>
        <div className="crm-header-spacer" />
        {headerExtra}
        <LanguageSwitch dark />
        <UserMenu items={userMenuItems} compact={phone} />
      </Layout.Header>
      <Layout>
        {phone ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            title={title}
            styles={{ body: { padding: 0 } }}
          >
            {nav}
          </Drawer>
        ) : (
          <Layout.Sider width={220} breakpoint="lg" collapsible theme="light">
            {nav}
          </Layout.Sider>
        )}
        <Layout.Content className="crm-content">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
