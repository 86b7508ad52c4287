import type { LocaleText } from '../definitions/types.ts';

/** A node of the department tree. */
export interface Department {
  id: string;
  name: LocaleText;
  parentId: string | null;
  /** The ids from the root down to this department: '/<root id>/…/<id>/'. */
  path: string;
  headId: string | null;
  sort: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Position {
  id: string;
  name: LocaleText;
  createdAt: string;
}

export type UserStatus = 'active' | 'left';

/** A person of the workspace, as admins see them (never their password hash). */
export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  status: UserStatus;
  isAdmin: boolean;
  departmentId: string | null;
  positionId: string | null;
  managerId: string | null;
  hasPassword: boolean;
  passwordChangedAt: string | null;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who someone is, briefly: what a manager chain or a department head lookup gives. */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
}

/** A role given to a user directly, or to everyone in a department (and, optionally, below it). */
export type RoleAssignment =
  | { roleId: string; userId: string }
  | { roleId: string; departmentId: string; includeChildren: boolean };

/** What to assign or unassign; a department passes the role on to those below unless `includeChildren` is false. */
export type RoleAssignmentInput =
  | { roleId: string; userId: string }
  | { roleId: string; departmentId: string; includeChildren?: boolean };

export const TOKEN_SCOPES = ['records:read', 'records:write', 'meta:read', 'meta:write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A personal API token as listed (the secret itself is shown once, when it is created). */
export interface ApiTokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export const LOGIN_RESULTS = [
  'success',
  'bad-password',
  'locked',
  'unknown-user',
  'left',
  'ip-denied',
] as const;
export type LoginResult = (typeof LOGIN_RESULTS)[number];

export interface LoginHistoryEntry {
  id: number;
  at: string;
  userId: string | null;
  username: string;
  ip: string | null;
  userAgent: string | null;
  result: LoginResult;
}

/** Where a request comes from, as the server saw it. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** A session handed to a client: `id` goes in its cookie and is never stored as such. */
export interface IssuedSession {
  id: string;
  csrfToken: string;
  /** When it ends at the latest, used or not. */
  expiresAt: string;
}

/** Who a request authenticated as, and how. */
export interface Principal {
  user: {
    id: string;
    username: string;
    displayName: string;
    isAdmin: boolean;
    locale: string | null;
    departmentId: string | null;
  };
  /** Role ids: the user's own and their departments'. */
  roles: string[];
  via: 'session' | 'token';
  /** For sessions: the stored id hash (to end it) and the token state-changing requests must echo. */
  session?: { idHash: string; csrfToken: string };
  /** For tokens: which one, and what it may touch. */
  token?: { id: string; scopes: TokenScope[] };
}
