import type { Db } from '../storage/db.ts';
import { PasswordAttempts } from './attempts.ts';
import { Authenticator } from './authenticate.ts';
import { type Clock, systemClock } from './clock.ts';
import type { IdentityContext } from './context.ts';
import { DepartmentService } from './departments.ts';
import { FirstAdminSetup } from './first-admin.ts';
import { LoginService } from './login.ts';
import { LoginHistory } from './login-history.ts';
import { OrganisationLookups } from './lookups.ts';
import { PasswordHasher, type PasswordHashing } from './passwords.ts';
import { PositionService } from './positions.ts';
import { RoleAssignments } from './roles.ts';
import { SessionService } from './sessions.ts';
import { SecuritySettingsStore } from './settings.ts';
import { identityTables } from './tables.ts';
import { ApiTokenService } from './tokens.ts';
import type { UserSummary } from './types.ts';
import { UserService } from './users.ts';

export interface IdentityOptions {
  /** The time the services see (tests step it); the system clock by default. */
  clock?: Clock;
  /** argon2id cost; OWASP's recommendation by default (tests pass cheaper ones). */
  passwordHashing?: PasswordHashing;
  /** The hasher itself, instead of one made from `passwordHashing` (tests count its work). */
  passwordHasher?: PasswordHasher;
}

/** A workspace's organisation (departments, positions, people, role assignments) and authentication. */
export class Identity {
  readonly settings: SecuritySettingsStore;
  readonly departments: DepartmentService;
  readonly positions: PositionService;
  readonly users: UserService;
  readonly roles: RoleAssignments;
  readonly sessions: SessionService;
  readonly tokens: ApiTokenService;
  readonly logins: LoginService;
  readonly loginHistory: LoginHistory;
  readonly firstAdmin: FirstAdminSetup;
  readonly authenticator: Authenticator;
  readonly #lookups: OrganisationLookups;

  constructor(db: Db, workspaceId: string, schema: string, options: IdentityOptions = {}) {
    const clock = options.clock ?? systemClock;
    const t = identityTables(schema);
    const settings = new SecuritySettingsStore(db, t, clock);
    const ctx: IdentityContext = {
      db,
      workspaceId,
      t,
      clock,
      hasher: options.passwordHasher ?? new PasswordHasher(options.passwordHashing),
      settings,
    };
    const attempts = new PasswordAttempts(ctx);
    this.settings = settings;
    this.departments = new DepartmentService(ctx);
    this.positions = new PositionService(ctx);
    this.users = new UserService(ctx, attempts);
    this.roles = new RoleAssignments(ctx);
    this.sessions = new SessionService(ctx);
    this.tokens = new ApiTokenService(ctx);
    this.loginHistory = new LoginHistory(ctx);
    this.logins = new LoginService(ctx, this.users, this.roles, this.sessions, attempts, this.loginHistory);
    this.firstAdmin = new FirstAdminSetup(ctx, this.users);
    this.authenticator = new Authenticator(ctx, this.sessions, this.tokens);
    this.#lookups = new OrganisationLookups(ctx);
  }

  /** The first `levels` active managers above the user, nearest first (for approvals). */
  managerChain(userId: string, levels: number): Promise<UserSummary[]> {
    return this.#lookups.managerChain(userId, levels);
  }

  /** The department's active head; with `inherit`, the nearest one above when it has none. */
  departmentHead(departmentId: string, options: { inherit?: boolean } = {}): Promise<UserSummary | null> {
    return this.#lookups.departmentHead(departmentId, options);
  }
}
