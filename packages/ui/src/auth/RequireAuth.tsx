import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, LoadingState } from '../shell/states.tsx';
import { useAuth } from './AuthProvider.tsx';

/** Shows its children to a signed-in user (an admin, with `admin`); sends anyone else to the login page. */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { user, error, loggedOut, recheck } = useAuth();
  const location = useLocation();
  if (user === undefined) return <LoadingState fullPage />;
  if (error) return <ErrorState error={error} onRetry={() => void recheck()} fullPage />;
  if (user === null) {
    if (loggedOut) return <Navigate to="/login" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (admin && !user.isAdmin) return <ErrorState status={403} fullPage />;
  return children;
}
