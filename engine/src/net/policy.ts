import { BlockList, isIP } from 'node:net';

/**
 * Where the server's own outbound calls (webhooks, workflow and plugin actions) may go. By default only
 * public addresses over http(s): a URL an admin or a flow names must not reach the server's own
 * loopback, the private network behind it or the cloud metadata service (SSRF).
 */
export interface OutboundPolicy {
  /** Loopback and private ranges (10/8, 172.16/12, 192.168/16, fc00::/7 …) are allowed. */
  allowPrivate?: boolean;
  /**
   * Host names (exact, case-insensitive), addresses and CIDR ranges allowed whatever they resolve to
   * or whichever range they are in: `hooks.internal`, `10.1.2.3`, `192.168.0.0/16`, `169.254.169.254`.
   */
  allowHosts?: string[];
}

/** Why a call is refused, in English and Chinese. */
export interface Refusal {
  en: string;
  'zh-CN': string;
}

const KIND_ZH = { loopback: '回环', 'link-local': '链路本地', private: '内网', reserved: '保留' } as const;

/** Why an address is not public; null for a public one. */
export type AddressClass = 'loopback' | 'link-local' | 'private' | 'reserved' | null;

function ranges(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix, family] of entries) list.addSubnet(network, prefix, family);
  return list;
}

const LOOPBACK = ranges([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
// link-local holds the cloud metadata service (169.254.169.254, fd00:ec2::254 is in private below)
const LINK_LOCAL = ranges([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const PRIVATE = ranges([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);
const RESERVED = ranges([
  ['0.0.0.0', 8, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
]);

/** `::ffff:127.0.0.1` is 127.0.0.1: an IPv4-mapped IPv6 address is judged by its IPv4 address. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** The kind of non-public range `address` (an IP literal) is in, or null when it is public. */
export function classifyAddress(literal: string): AddressClass {
  const address = unmapped(literal);
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (LOOPBACK.check(address, family)) return 'loopback';
  if (LINK_LOCAL.check(address, family)) return 'link-local';
  if (PRIVATE.check(address, family)) return 'private';
  if (RESERVED.check(address, family)) return 'reserved';
  return null;
}

/** The allow list split into host names and address ranges. */
export interface AllowList {
  hosts: Set<string>;
  addresses: BlockList;
}

export function allowListOf(policy: OutboundPolicy): AllowList {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const raw of policy.allowHosts ?? []) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, '');
    if (entry === '') continue;
    const [network = '', prefix] = entry.split('/');
    const family = isIP(network);
    if (family === 0) hosts.add(entry);
    else if (prefix === undefined) addresses.addAddress(network, family === 6 ? 'ipv6' : 'ipv4');
    else addresses.addSubnet(network, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
  }
  return { hosts, addresses };
}

/** Why `address` (resolved from `host`) may not be called under `policy`; null when it may. */
export function refusedAddress(
  address: string,
  policy: OutboundPolicy,
  allow: AllowList,
  host = address,
): Refusal | null {
  const plain = unmapped(address);
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  if (allow.addresses.check(plain, family)) return null;
  const kind = classifyAddress(plain);
  if (kind === null) return null;
  if (policy.allowPrivate && (kind === 'loopback' || kind === 'private')) return null;
  const shown = host === address ? address : `'${host}' (${address})`;
  return {
    en:
      `${shown} is a ${kind} address: outbound calls to it are refused ` +
      '(an administrator allows it with CRM_WEBHOOK_ALLOW_HOSTS or CRM_WEBHOOK_ALLOW_PRIVATE=true)',
    'zh-CN':
      `${shown} 是${KIND_ZH[kind]}地址，禁止向其发起外部调用` +
      '（管理员可通过 CRM_WEBHOOK_ALLOW_HOSTS 或 CRM_WEBHOOK_ALLOW_PRIVATE=true 放行）',
  };
}

/** The host of a URL as a plain name or address (IPv6 without its brackets), lower case. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}

/**
 * What can be told of `value` without asking DNS: it is an http(s) URL and, when its host is an
 * address (or `localhost`), that address may be called. Null when nothing is wrong.
 */
export function staticUrlProblem(value: string, policy: OutboundPolicy): Refusal | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { en: `'${value}' is not a URL`, 'zh-CN': `“${value}”不是 URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const scheme = url.protocol.replace(/:$/, '');
    return {
      en: `the URL must be http or https, not ${scheme}`,
      'zh-CN': `URL 必须是 http 或 https，不能是 ${scheme}`,
    };
  }
  const allow = allowListOf(policy);
  const host = hostOf(url);
  if (allow.hosts.has(host)) return null;
  if (isIP(host) !== 0) return refusedAddress(host, policy, allow);
  if (host === 'localhost' || host.endsWith('.localhost'))
    return refusedAddress('127.0.0.1', policy, allow, host);
  return null;
}

/** The policy the settings `CRM_WEBHOOK_ALLOW_PRIVATE` (true/false) and `CRM_WEBHOOK_ALLOW_HOSTS` give. */
export function outboundPolicyFrom(env: Record<string, string | undefined>): OutboundPolicy {
  const privateSetting = (env.CRM_WEBHOOK_ALLOW_PRIVATE ?? '').trim().toLowerCase();
  if (privateSetting !== '' && !['true', 'false', '1', '0'].includes(privateSetting)) {
    throw new Error(`CRM_WEBHOOK_ALLOW_PRIVATE: '${env.CRM_WEBHOOK_ALLOW_PRIVATE}' is not true or false`);
  }
  const allowHosts = (env.CRM_WEBHOOK_ALLOW_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of allowHosts) {
    const [network = '', prefix] = entry.replace(/^\[|\]$/g, '').split('/');
    const family = isIP(network);
    const bits = Number(prefix);
    if (
      prefix !== undefined &&
      (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32))
    ) {
      throw new Error(`CRM_WEBHOOK_ALLOW_HOSTS: '${entry}' is not a host name, an address or a CIDR range`);
    }
  }
  return { allowPrivate: privateSetting === 'true' || privateSetting === '1', allowHosts };
}
