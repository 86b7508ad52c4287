import {
  type Actor,
  type Authentication,
  type ClientInfo,
  type Principal,
  sameSecret,
  type Workspace,
} from '@crm/engine';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { clientInfo, type ProxyTrust } from './client.ts';
import type { ApiEnv } from './env.ts';
import { HttpProblem } from './problem.ts';
import { expiredSessionCookieHeader, sessionCookie } from './session-cookie.ts';
import { scopesFor } from './token-scopes.ts';

/** Reachable without credentials: the health check, the ways to get a session, and the API reference. */
const PUBLIC_PATHS = new Set([
  '/api/health',
  '/api/auth/login',
  '/api/auth/setup',
  '/api/openapi.json',
  '/api/docs',
]);

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.has(path) || path.startsWith('/api/docs/');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CSRF_HEADER = 'X-CSRF-Token';

const WWW_AUTHENTICATE = 'Bearer realm="crm", charset="UTF-8"';

function unauthorized(code: string, en: string, zh: string): HttpProblem {
  const errors = [{ pointer: '', code, detail: en, messages: { en, 'zh-CN': zh } }];
  return new HttpProblem('unauthorized', en, errors, { 'WWW-Authenticate': WWW_AUTHENTICATE });
}

function forbidden(code: string, en: string, zh: string): HttpProblem {
  return new HttpProblem('forbidden', en, [{ pointer: '', code, detail: en, messages: { en, 'zh-CN': zh } }]);
}

function refusal(result: Exclude<Authentication, { ok: true }>, via: 'session' | 'token'): HttpProblem {
  switch (result.reason) {
    case 'ip-denied':
      return forbidden('ip-denied', 'requests from your address are not allowed', '不允许从您当前的地址访问');
    case 'expired':
      return via === 'session'
        ? unauthorized('session-expired', 'the session has expired; log in again', '会话已过期，请重新登录')
        : unauthorized('token-expired', 'the token has expired', '令牌已过期');
    case 'revoked':
      return unauthorized('token-revoked', 'the token was revoked', '令牌已被撤销');
    case 'left':
      return unauthorized('account-disabled', 'the account is disabled', '账号已停用');
    default:
      return via === 'session'
        ? unauthorized(
            'session-invalid',
            'the session is not valid (logged out?); log in again',
            '会话无效，请重新登录',
          )
        : unauthorized('token-invalid', 'the token is not valid', '令牌无效');
  }
}

/** `Authorization: Bearer crm_…` → the token; undefined without one; a 401 for another scheme. */
function bearerToken(c: Context<ApiEnv>): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw unauthorized(
      'unsupported-scheme',
      'send credentials as Authorization: Bearer <token>',
      '请使用 Authorization: Bearer <令牌>',
    );
  }
  return match[1];
}

async function authenticate(c: Context<ApiEnv>, workspace: Workspace, client: ClientInfo, trust: ProxyTrust) {
  const authenticator = workspace.identity.authenticator;
  const token = bearerToken(c);
  if (token !== undefined) {
    const result = await authenticator.byToken(token, client);
    if (!result.ok) throw refusal(result, 'token');
    return result.principal;
  }
  const sessionId = sessionCookie(c);
  if (sessionId === undefined) {
    throw unauthorized(
      'not-authenticated',
      'log in, or send a personal API token',
      '请登录或提供个人 API 令牌',
    );
  }
  const result = await authenticator.bySession(sessionId, client);
  if (!result.ok) {
    const problem = refusal(result, 'session');
    if (result.reason === 'ip-denied') throw problem;
    // a dead session's cookie is of no further use: the browser may drop it
    const headers = { ...problem.headers, 'Set-Cookie': expiredSessionCookieHeader(c, trust) };
    throw new HttpProblem(problem.kind, problem.message, problem.errors, headers);
  }
  return result.principal;
}

/**
 * A cookie goes along with any request the browser makes to us, even one another site triggers,
 * so a state-changing request must also show the session's CSRF token, which only our own pages
 * can read. Bearer tokens are never sent by the browser on its own, so they need none.
 */
function checkCsrf(c: Context<ApiEnv>, principal: Principal): void {
  if (SAFE_METHODS.has(c.req.method) || !principal.session) return;
  const sent = c.req.header(CSRF_HEADER);
  if (sent === undefined || !sameSecret(sent, principal.session.csrfToken)) {
    throw forbidden(
      'csrf',
      `a state-changing request with a session cookie must send the session's ${CSRF_HEADER} header`,
      `使用会话 Cookie 的修改请求必须携带 ${CSRF_HEADER} 请求头`,
    );
  }
}

function checkScopes(c: Context<ApiEnv>, principal: Principal): void {
  if (!principal.token) return;
  const needed = scopesFor(c.req.method, c.req.path);
  const held = principal.token.scopes;
  if (needed.length > 0 && !needed.some((scope) => held.includes(scope))) {
    throw forbidden(
      'scope',
      `this token lacks the scope for this request (needs ${needed.join(' or ')})`,
      `此令牌缺少所需的权限范围（需要 ${needed.join(' 或 ')}）`,
    );
  }
}

function actorOf(principal: Principal, client: ClientInfo): Actor {
  return {
    userId: principal.user.id,
    via: principal.via,
    ...client,
    ...(principal.token ? { scopes: principal.token.scopes } : {}),
  };
}

/**
 * Who the request acts as: a session cookie or a bearer token, checked against the session or
 * token table, the user's status and the IP allowlists; CSRF for cookie-borne writes; token scopes.
 * The public endpoints pass without credentials.
 */
export function authentication(workspace: Workspace, trust: ProxyTrust) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const client = clientInfo(c, trust);
    c.set('client', client);
    c.set('principal', undefined);
    if (isPublic(c.req.path)) return next();
    const principal = await authenticate(c, workspace, client, trust);
    checkCsrf(c, principal);
    checkScopes(c, principal);
    c.set('principal', principal);
    c.set('actor', actorOf(principal, client));
    await next();
  });
}

/** The authenticated principal of a non-public route (the middleware guarantees one). */
export function principalOf(c: Context<ApiEnv>): Principal {
  const principal = c.var.principal;
  if (!principal) throw unauthorized('not-authenticated', 'log in first', '请先登录');
  return principal;
}
