import type { FirstAdminInput, LoginOutcome, NewApiToken, Principal, User, Workspace } from '@crm/engine';
import { type Context, Hono } from 'hono';
import { principalOf } from './auth.ts';
import type { ProxyTrust } from './client.ts';
import { engineInput } from './engine-input.ts';
import type { ApiEnv } from './env.ts';
import { HttpProblem } from './problem.ts';
import { expiredSessionCookieHeader, sessionCookie, sessionCookieHeader } from './session-cookie.ts';

type Refusal = Exclude<LoginOutcome, { ok: true }>;

function loginRefused(outcome: Refusal, headers: Record<string, string>): HttpProblem {
  const problem = (
    kind: 'unauthorized' | 'too-many-attempts' | 'forbidden',
    code: string,
    en: string,
    zh: string,
  ) => new HttpProblem(kind, en, [{ pointer: '', code, detail: en, messages: { en, 'zh-CN': zh } }], headers);
  switch (outcome.reason) {
    case 'locked':
      headers['Retry-After'] = String(outcome.retryAfterSeconds);
      return problem(
        'too-many-attempts',
        'locked',
        `too many failed logins: try again in ${outcome.retryAfterSeconds} s`,
        `登录失败次数过多，请 ${outcome.retryAfterSeconds} 秒后再试`,
      );
    case 'ip-denied':
      return problem(
        'forbidden',
        'ip-denied',
        'logins from your address are not allowed',
        '不允许从您当前的地址登录',
      );
    default:
      return problem('unauthorized', 'invalid-credentials', 'wrong username or password', '用户名或密码错误');
  }
}

/** What a client gets on login and from /me: who it is, and the CSRF token its writes must carry. */
function sessionBody(user: User, principal: { roles: string[] }, extra: Record<string, unknown>) {
  return { user, roles: principal.roles, ...extra };
}

/** Login, logout, the current user, their password and their personal API tokens; the first admin. */
export function authRoutes(workspace: Workspace, trust: ProxyTrust): Hono<ApiEnv> {
  const { identity } = workspace;
  const app = new Hono<ApiEnv>();

  /** Logs in with `credentials`; a new session every time (and the one the client held, if any, ends). */
  const startSession = async (c: Context<ApiEnv>, credentials: { username: string; password: string }) => {
    const previous = sessionCookie(c);
    const outcome = await identity.logins.login(credentials, c.var.client, { previousSessionId: previous });
    if (!outcome.ok) {
      throw loginRefused(outcome, previous ? { 'Set-Cookie': expiredSessionCookieHeader(c, trust) } : {});
    }
    c.header('Set-Cookie', sessionCookieHeader(c, outcome.session.id, trust));
    c.header('Cache-Control', 'no-store');
    return sessionBody(
      outcome.user,
      { roles: await identity.roles.rolesOf(outcome.user.id) },
      {
        via: 'session',
        csrfToken: outcome.session.csrfToken,
        expiresAt: outcome.session.expiresAt,
      },
    );
  };

  app.post('/login', async (c) => c.json(await startSession(c, await engineInput(c))));

  app.post('/setup', async (c) => {
    const input = await engineInput<FirstAdminInput>(c);
    await identity.firstAdmin.complete(input);
    return c.json(await startSession(c, { username: input.username, password: input.password }), 201);
  });

  app.post('/logout', async (c) => {
    const principal = principalOf(c);
    if (principal.session) await identity.sessions.endByHash(principal.session.idHash);
    return c.body(null, 204, { 'Set-Cookie': expiredSessionCookieHeader(c, trust) });
  });

  app.post('/logout-all', async (c) => {
    const principal = principalOf(c);
    const ended = await identity.sessions.endAll(principal.user.id);
    return c.json({ sessionsEnded: ended }, 200, { 'Set-Cookie': expiredSessionCookieHeader(c, trust) });
  });

  app.get('/me', async (c) => {
    const principal = principalOf(c);
    return c.json(
      sessionBody(await identity.users.get(principal.user.id), principal, meExtra(principal)),
      200,
      { 'Cache-Control': 'no-store' },
    );
  });

  app.post('/password', async (c) => {
    const principal = principalOf(c);
    await identity.users.changePassword(principal.user.id, await engineInput(c), {
      keepSessionHash: principal.session?.idHash,
    });
    return c.body(null, 204);
  });

  app.get('/tokens', async (c) => c.json(await identity.tokens.list(principalOf(c).user.id)));

  app.post('/tokens', async (c) => {
    const principal = principalOf(c);
    const { token, info } = await identity.tokens.create(
      principal.user.id,
      await engineInput<NewApiToken>(c),
    );
    return c.json({ ...info, token }, 201, {
      Location: `/api/auth/tokens/${info.id}`,
      'Cache-Control': 'no-store',
    });
  });

  app.delete('/tokens/:id', async (c) => {
    await identity.tokens.revoke(principalOf(c).user.id, c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}

function meExtra(principal: Principal): Record<string, unknown> {
  if (principal.session) return { via: 'session', csrfToken: principal.session.csrfToken };
  return { via: 'token', scopes: principal.token?.scopes ?? [] };
}
