import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthProvider.tsx';

/** The signed-in user's name, with log out (and whatever `items` the app adds). */
export function UserMenu({ items = [], compact = false }: { items?: MenuProps['items']; compact?: boolean }) {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  if (!user) return null;
  const name = user.displayName || user.username;
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'who', label: t('loggedInAs', { name: user.username }), disabled: true },
          { type: 'divider' },
          ...(items ?? []),
          {
            key: 'logout',
            icon: <LogoutOutlined />,
            label: t('logout'),
            // the page's guard then shows the login page
            onClick: () => void logout(),
          },
        ],
      }}
    >
      <Button type="text" data-testid="user-menu" style={{ color: '#fff' }}>
        <Avatar size="small" icon={<UserOutlined />} />
        {!compact && <span style={{ marginLeft: 8 }}>{name}</span>}
      </Button>
    </Dropdown>
  );
}
