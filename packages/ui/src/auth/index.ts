export { AuthProvider, type AuthState, useAuth, useCurrentUser } from './AuthProvider.tsx';
export { LoginPage } from './LoginPage.tsx';
export { RequireAuth } from './RequireAuth.tsx';
