import { BlockList, isIP } from 'node:net';

/** Where an IP allowlist applies: the whole workspace, and each role with its own list. */
export interface IpAllowlistSettings {
  /** CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`) or single addresses; empty: any address. */
  workspace: string[];
  /** Per role id: a user holding the role may only come from these blocks. */
  roles: Record<string, string[]>;
}

interface ParsedBlock {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `192.168.1.7` (one address), `2001:db8::/32`; undefined when it is none of those. */
export function parseCidr(text: string): ParsedBlock | undefined {
  const [address, prefixText, ...rest] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0 || address.includes('%')) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { address, prefix: Number(prefixText), family };
}

/** A list of blocks to test addresses against (IPv4-mapped IPv6 addresses match IPv4 blocks). */
export class IpBlocks {
  readonly #list = new BlockList();

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const block = parseCidr(cidr);
      // lists are checked when saved; an unreadable entry admits nobody
      if (block) this.#list.addSubnet(block.address, block.prefix, block.family);
    }
  }

  /** Whether `ip` lies in one of the blocks; an unknown address lies in none. */
  contains(ip: string | undefined): boolean {
    if (!ip) return false;
    const address = ip.replace(/%.*$/, ''); // an IPv6 zone index names no other host
    const version = isIP(address);
    if (version === 0) return false;
    return this.#list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}

const cache = new Map<string, IpBlocks>();

function blocksOf(cidrs: readonly string[]): IpBlocks {
  const key = cidrs.join(',');
  let blocks = cache.get(key);
  if (!blocks) {
    if (cache.size > 1000) cache.clear();
    blocks = new IpBlocks(cidrs);
    cache.set(key, blocks);
  }
  return blocks;
}

/**
 * Whether a user holding `roleIds` may work from `ip`: the workspace's list (when it has one) must
 * admit the address, and so must the list of every role of theirs that has one.
 */
export function ipAllowed(settings: IpAllowlistSettings, ip: string | undefined, roleIds: readonly string[]) {
  if (settings.workspace.length > 0 && !blocksOf(settings.workspace).contains(ip)) return false;
  for (const role of roleIds) {
    const list = Object.hasOwn(settings.roles, role) ? settings.roles[role] : undefined;
    if (list && list.length > 0 && !blocksOf(list).contains(ip)) return false;
  }
  return true;
}

/** Whether the workspace list alone admits `ip` (checked before anything is known of the user). */
export function workspaceIpAllowed(settings: IpAllowlistSettings, ip: string | undefined): boolean {
  return ipAllowed(settings, ip, []);
}
