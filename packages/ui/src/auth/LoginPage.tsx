import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../api/errors.ts';
import { useLocale } from '../i18n/i18n.ts';
import { LanguageSwitch } from '../shell/LanguageSwitch.tsx';
import { useAuth } from './AuthProvider.tsx';

/** Only paths of this app: `next` comes from the address bar. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage({ title }: { title?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (user) return <Navigate to={next} replace />;

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await login(values.username, values.password);
      navigate(next, { replace: true });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="crm-login">
      <div className="crm-login-language">
        <LanguageSwitch />
      </div>
      <Card className="crm-login-card">
        <Typography.Title level={3}>{title ?? t('appName')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.title')}</Typography.Paragraph>
        {failure !== undefined && (
          <Alert type="error" showIcon title={errorMessage(failure, locale)} style={{ marginBottom: 16 }} />
        )}
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
