import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import { isHttps, type ProxyTrust } from './client.ts';
import type { ApiEnv } from './env.ts';

export const SESSION_COOKIE = 'crm_session';

/**
 * The session id travels only in this cookie: HttpOnly (no script reads it), SameSite=Lax (other
 * sites' forms and fetches do not carry it), Secure over https, for the whole site. It has no
 * expiry of its own: the server ends sessions (idle and absolute timeouts), the browser drops the
 * cookie when it closes.
 */
export function sessionCookieHeader(c: Context<ApiEnv>, sessionId: string, trust: ProxyTrust): string {
  return generateCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, trust),
    path: '/',
  });
}

/** A Set-Cookie value that makes the browser forget the session cookie. */
export function expiredSessionCookieHeader(c: Context<ApiEnv>, trust: ProxyTrust): string {
  return generateCookie(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, trust),
    path: '/',
    maxAge: 0,
    expires: new Date(0),
  });
}

export function sessionCookie(c: Context<ApiEnv>): string | undefined {
  const value = getCookie(c, SESSION_COOKIE);
  return value && value.length > 0 && value.length <= 200 ? value : undefined;
}
