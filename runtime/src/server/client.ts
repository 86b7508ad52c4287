import type { ClientInfo } from '@crm/engine';
import type { Context } from 'hono';
import type { ApiEnv } from './env.ts';

/** How many reverse proxies in front of the server append to `X-Forwarded-For` (0: trust none). */
export interface ProxyTrust {
  trustedProxies: number;
}

/** '::ffff:10.0.0.1' (an IPv4 client on a dual-stack socket) reads as '10.0.0.1'. */
function plainAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/**
 * The client's address: the socket's peer, or, behind `trustedProxies` proxies, the entry the
 * outermost of them appended to X-Forwarded-For. Entries left of that are what the client itself
 * sent and prove nothing, so they are never used (an allowlist would be trivially bypassed).
 */
export function clientAddress(c: Context<ApiEnv>, trust: ProxyTrust): string | undefined {
  const peer = c.env?.incoming?.socket?.remoteAddress;
  if (trust.trustedProxies <= 0) return plainAddress(peer);
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const index = forwarded.length - trust.trustedProxies;
  return plainAddress(index >= 0 ? forwarded[index] : (forwarded[0] ?? peer));
}

export function clientInfo(c: Context<ApiEnv>, trust: ProxyTrust): ClientInfo {
  const userAgent = c.req.header('user-agent');
  return { ip: clientAddress(c, trust), ...(userAgent ? { userAgent } : {}) };
}

/** Whether the client reached us over https (as the trusted proxy says, when there is one). */
export function isHttps(c: Context<ApiEnv>, trust: ProxyTrust): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (trust.trustedProxies <= 0) return false;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}
