import { ErrorState, LoadingState, LoginPage, RequireAuth } from '@crm/ui';
import { Button } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import { ListPage } from './list/ListPage.tsx';
import { RuntimeFrame } from './RuntimeFrame.tsx';

// Each page but the list loads its own chunk when first shown: the list (the page users land on most)
// does not wait for the form's rjsf and ajv, the record page or the inbox.
const HomePage = lazy(() => import('./home/HomePage.tsx').then((m) => ({ default: m.HomePage })));
const InboxPage = lazy(() => import('./inbox/InboxPage.tsx').then((m) => ({ default: m.InboxPage })));
const RecordForm = lazy(() => import('./form-page/RecordForm.tsx').then((m) => ({ default: m.RecordForm })));
const RecordPage = lazy(() => import('./record/RecordPage.tsx').then((m) => ({ default: m.RecordPage })));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingState />}>{children}</Suspense>;
}

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
        <Route
          index
          element={
            <Page>
              <HomePage />
            </Page>
          }
        />
        <Route
          path="inbox"
          element={
            <Page>
              <InboxPage />
            </Page>
          }
        />
        <Route path="m/:module" element={<ListPage />} />
        <Route
          path="m/:module/new"
          element={
            <Page>
              <RecordForm />
            </Page>
          }
        />
        <Route
          path="m/:module/:id"
          element={
            <Page>
              <RecordPage />
            </Page>
          }
        />
        <Route
          path="m/:module/:id/edit"
          element={
            <Page>
              <RecordForm />
            </Page>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
