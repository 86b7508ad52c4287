import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ApiClient, api as defaultApi } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { CurrentUser, SessionInfo } from '../api/types.ts';

export interface AuthState {
  /** undefined while the first /api/auth/me is under way, null when nobody is signed in. */
  user: CurrentUser | null | undefined;
  /** Why /api/auth/me failed, when it failed for another reason than not being signed in. */
  error: ApiError | undefined;
  /** True after the user logged out here (the login page then forgets where they were). */
  loggedOut: boolean;
  login(username: string, password: string): Promise<CurrentUser>;
  logout(): Promise<void>;
  recheck(): Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

/** Who is signed in (the session cookie), kept in step with the API; the CSRF token goes to the client. */
export function AuthProvider({ children, client = defaultApi }: { children: ReactNode; client?: ApiClient }) {
  const queryClient = useQueryClient();
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loggedOut, setLoggedOut] = useState(false);

  const adopt = useCallback(
    (session: SessionInfo | null) => {
      client.csrfToken = session?.csrfToken;
      setUser(session?.user ?? null);
      setError(undefined);
    },
    [client],
  );

  const recheck = useCallback(async () => {
    try {
      adopt(await client.get<SessionInfo>('/api/auth/me'));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) adopt(null);
      else {
        setUser(null);
        setError(failure instanceof ApiError ? failure : new ApiError(0, undefined, String(failure)));
      }
    }
  }, [adopt, client]);

  useEffect(() => {
    void recheck();
  }, [recheck]);

  // A session that ends elsewhere (expiry, logout everywhere) shows up as a 401 on any call.
  useEffect(
    () =>
      client.onUnauthorized(() => {
        client.csrfToken = undefined;
        setUser(null);
      }),
    [client],
  );

  const login = useCallback(
    async (username: string, password: string) => {
      const session = await client.post<SessionInfo>('/api/auth/login', { username, password });
      queryClient.clear();
      setLoggedOut(false);
      adopt(session);
      return session.user;
    },
    [adopt, client, queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await client.post('/api/auth/logout');
    } finally {
      queryClient.clear();
      setLoggedOut(true);
      adopt(null);
    }
  }, [adopt, client, queryClient]);

  const value = useMemo(
    () => ({ user, error, loggedOut, login, logout, recheck }),
    [user, error, loggedOut, login, logout, recheck],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth needs an <AuthProvider> around it');
  return state;
}

/** The signed-in user, inside a RequireAuth. */
export function useCurrentUser(): CurrentUser {
  const { user } = useAuth();
  if (!user) throw new Error('useCurrentUser needs a signed-in user (put the page inside <RequireAuth>)');
  return user;
}
