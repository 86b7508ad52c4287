import { ErrorState, LoginPage, RequireAuth } from '@crm/ui';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import { RecordForm } from './form-page/RecordForm.tsx';
import { HomePage } from './home/HomePage.tsx';
import { InboxPage } from './inbox/InboxPage.tsx';
import { ListPage } from './list/ListPage.tsx';
import { RuntimeFrame } from './RuntimeFrame.tsx';
import { RecordPage } from './record/RecordPage.tsx';

function NotFound() {
  const { t } = useTranslation();
  return (
    <ErrorState
      status={404}
      extra={
        <Link to="/">
          <Button type="primary">{t('state.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <RuntimeFrame />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="m/:module" element={<ListPage />} />
        <Route path="m/:module/new" element={<RecordForm />} />
        <Route path="m/:module/:id" element={<RecordPage />} />
        <Route path="m/:module/:id/edit" element={<RecordForm />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
