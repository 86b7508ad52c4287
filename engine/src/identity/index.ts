// The identity part of the engine's public API (re-exported by ../index.ts).
export type { Authentication } from './authenticate.ts';
export { type Clock, systemClock } from './clock.ts';
export type { DepartmentChanges, NewDepartment } from './departments.ts';
export type { FirstAdminInput, FirstStart } from './first-admin.ts';
export { Identity, type IdentityOptions } from './identity.ts';
export { SCHEMAS as IDENTITY_INPUT_SCHEMAS, USERNAME_PATTERN } from './inputs.ts';
export { type IpAllowlistSettings, parseCidr } from './ip-allowlist.ts';
export type { LockoutSettings } from './lockout.ts';
export type { LoginOutcome } from './login.ts';
export { type LoginHistoryQuery, MAX_HISTORY_PAGE } from './login-history.ts';
export { DEFAULT_PASSWORD_POLICY, type PasswordPolicy, passwordProblems } from './password-policy.ts';
export { MAX_PASSWORD_LENGTH, OWASP_ARGON2ID, PasswordHasher, type PasswordHashing } from './passwords.ts';
export type { AssignmentQuery, MinimalRole } from './roles.ts';
export { sameSecret } from './secrets.ts';
export { DEFAULT_SECURITY_SETTINGS, type SecuritySettings, type SessionSettings } from './settings.ts';
export { type NewApiToken, TOKEN_PREFIX } from './tokens.ts';
export {
  type ApiTokenInfo,
  type ClientInfo,
  type Department,
  type IssuedSession,
  LOGIN_RESULTS,
  type LoginHistoryEntry,
  type LoginResult,
  type Position,
  type Principal,
  type RoleAssignment,
  type RoleAssignmentInput,
  TOKEN_SCOPES,
  type TokenScope,
  type User,
  type UserStatus,
  type UserSummary,
} from './types.ts';
export { MAX_USER_PAGE, type NewUser, type UserChanges, type UserQuery } from './users.ts';
