import type { PasswordAttempts } from './attempts.ts';
import type { IdentityContext } from './context.ts';
import { checkInput } from './inputs.ts';
import { ipAllowed, workspaceIpAllowed } from './ip-allowlist.ts';
import type { LoginHistory } from './login-history.ts';
import type { RoleAssignments } from './roles.ts';
import type { SessionService } from './sessions.ts';
import type { ClientInfo, IssuedSession, LoginResult, User } from './types.ts';
import type { UserService } from './users.ts';

export type LoginOutcome =
  | { ok: true; user: User; session: IssuedSession }
  /** Unknown user, wrong password or someone who left: told apart only in the login history. */
  | { ok: false; reason: 'invalid-credentials' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'ip-denied' };

export interface LoginOptions {
  /** The session id the client held before (if any): it ends, whatever the outcome's new one. */
  previousSessionId?: string;
}

/** Password login: lockout, IP allowlists, the login history, and a fresh session on success. */
export class LoginService {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly users: UserService,
    private readonly roles: RoleAssignments,
    private readonly sessions: SessionService,
    private readonly attempts: PasswordAttempts,
    private readonly history: LoginHistory,
  ) {}

  async login(
    input: { username: string; password: string },
    client: ClientInfo,
    options: LoginOptions = {},
  ): Promise<LoginOutcome> {
    const { username, password } = checkInput<{ username: string; password: string }>('login', input);
    if (options.previousSessionId) await this.sessions.end(options.previousSessionId);
    const { ipAllowlist } = await this.ctx.settings.get();
    const user = await this.users.findByUsername(username);
    const note = (result: LoginResult) =>
      this.history.record({ userId: user?.id ?? null, username: username.toLowerCase(), result }, client);

    if (!workspaceIpAllowed(ipAllowlist, client.ip)) {
      await note('ip-denied');
      return { ok: false, reason: 'ip-denied' };
    }
    if (!user || user.status === 'left') {
      await this.ctx.hasher.verifyNothing(password);
      await note(user ? 'left' : 'unknown-user');
      return { ok: false, reason: 'invalid-credentials' };
    }
    const gate = await this.attempts.begin(user.id);
    if (!gate.open) {
      await note('locked');
      return { ok: false, reason: 'locked', retryAfterSeconds: gate.retryAfterSeconds };
    }
    const stored = await this.users.passwordHash(user.id);
    if (stored === null) await this.ctx.hasher.verifyNothing(password); // no password set yet
    if (stored === null || !(await this.ctx.hasher.verify(stored, password))) {
      await note('bad-password');
      return { ok: false, reason: 'invalid-credentials' };
    }
    await this.attempts.succeed(user.id);
    if (!ipAllowed(ipAllowlist, client.ip, await this.roles.rolesOf(user.id))) {
      await note('ip-denied');
      return { ok: false, reason: 'ip-denied' };
    }
    if (this.ctx.hasher.needsRehash(stored)) await this.users.rehash(user.id, password);
    const session = await this.sessions.issue(user.id, client);
    await note('success');
    return { ok: true, user: await this.users.get(user.id), session };
  }
}
