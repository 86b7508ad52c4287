import { sql } from 'drizzle-orm';
import { pointerOf } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { checkInput, inputProblem, invalidInput } from './inputs.ts';
import { type IpAllowlistSettings, parseCidr, workspaceIpAllowed } from './ip-allowlist.ts';
import type { LockoutSettings } from './lockout.ts';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy.ts';
import type { IdentityTables } from './tables.ts';

export interface SessionSettings {
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after login, however much it is used. */
  absoluteHours: number;
}

/** A workspace's security settings; each part is a row of `_settings`, defaults filling what is unset. */
export interface SecuritySettings {
  passwordPolicy: PasswordPolicy;
  sessions: SessionSettings;
  lockout: LockoutSettings;
  ipAllowlist: IpAllowlistSettings;
}

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  sessions: { idleMinutes: 12 * 60, absoluteHours: 7 * 24 },
  lockout: { threshold: 5, baseSeconds: 60, maxSeconds: 60 * 60 },
  ipAllowlist: { workspace: [], roles: {} },
};

/** Which `_settings` row holds which part. */
export const SETTING_KEYS = {
  passwordPolicy: 'password_policy',
  sessions: 'sessions',
  lockout: 'lockout',
  ipAllowlist: 'ip_allowlist',
} as const satisfies Record<keyof SecuritySettings, string>;

type Part = keyof SecuritySettings;
const PARTS = Object.keys(SETTING_KEYS) as Part[];

function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** One part: the stored object over the defaults (so a setting added later has its default). */
export function settingsPart<P extends Part>(part: P, stored: unknown): SecuritySettings[P] {
  const value = parsed(stored);
  const base = DEFAULT_SECURITY_SETTINGS[part];
  return typeof value === 'object' && value !== null ? { ...base, ...value } : base;
}

export interface SettingsUpdateOptions {
  /** The address of whoever saves: refused when the new workspace allowlist would lock it out. */
  guardIp?: string;
}

/** Reads and saves the security settings of a workspace. */
export class SecuritySettingsStore {
  constructor(
    private readonly db: Db,
    private readonly t: IdentityTables,
    private readonly clock: () => Date,
  ) {}

  async get(db: Db = this.db): Promise<SecuritySettings> {
    const keys = PARTS.map((p) => SETTING_KEYS[p]);
    const rows = await db.query<{ key: string; value: unknown }>(
      sql`SELECT key, value FROM ${this.t.settings} WHERE key IN (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    return {
      passwordPolicy: settingsPart('passwordPolicy', stored.get(SETTING_KEYS.passwordPolicy)),
      sessions: settingsPart('sessions', stored.get(SETTING_KEYS.sessions)),
      lockout: settingsPart('lockout', stored.get(SETTING_KEYS.lockout)),
      ipAllowlist: settingsPart('ipAllowlist', stored.get(SETTING_KEYS.ipAllowlist)),
    };
  }

  /** Saves the parts given (each part whole or in part: unnamed settings keep their value). */
  async update(input: unknown, options: SettingsUpdateOptions = {}): Promise<SecuritySettings> {
    const changes = checkInput<Partial<{ [P in Part]: Partial<SecuritySettings[P]> }>>(
      'securitySettings',
      input,
    );
    return this.db.transaction(async (tx) => {
      const current = await this.get(tx);
      const next: SecuritySettings = {
        passwordPolicy: { ...current.passwordPolicy, ...changes.passwordPolicy },
        sessions: { ...current.sessions, ...changes.sessions },
        lockout: { ...current.lockout, ...changes.lockout },
        ipAllowlist: { ...current.ipAllowlist, ...changes.ipAllowlist },
      };
      await this.#checkIpAllowlist(tx, next.ipAllowlist, options);
      if (next.lockout.maxSeconds < next.lockout.baseSeconds) {
        throw invalidInput([
          inputProblem('/lockout/maxSeconds', 'minimum', {
            en: 'must be at least baseSeconds',
            'zh-CN': '不能小于 baseSeconds',
          }),
        ]);
      }
      const now = this.clock().toISOString();
      for (const part of PARTS) {
        if (changes[part] === undefined) continue;
        await tx.run(
          sql`INSERT INTO ${this.t.settings} (key, value, updated_at)
              VALUES (${SETTING_KEYS[part]}, ${JSON.stringify(next[part])}::jsonb, ${now})
              ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        );
      }
      return next;
    });
  }

  async #checkIpAllowlist(tx: Db, list: IpAllowlistSettings, options: SettingsUpdateOptions) {
    const problems = list.workspace.flatMap((cidr, i) =>
      parseCidr(cidr) ? [] : [cidrProblem(`/ipAllowlist/workspace/${i}`)],
    );
    const roleIds = Object.keys(list.roles);
    for (const role of roleIds) {
      list.roles[role].forEach((cidr, i) => {
        if (!parseCidr(cidr)) problems.push(cidrProblem(pointerOf('ipAllowlist', 'roles', role, i)));
      });
    }
    if (roleIds.length > 0) {
      const known = await tx.query<{ id: string }>(
        sql`SELECT id FROM ${this.t.roles} WHERE id IN (${sql.join(
          roleIds.map((r) => sql`${r}`),
          sql`, `,
        )})`,
      );
      const found = new Set(known.map((r) => r.id));
      for (const role of roleIds.filter((r) => !found.has(r))) {
        problems.push(
          inputProblem(pointerOf('ipAllowlist', 'roles', role), 'not-found', {
            en: `no role '${role}'`,
            'zh-CN': `角色 '${role}' 不存在`,
          }),
        );
      }
    }
    if (
      problems.length === 0 &&
      options.guardIp !== undefined &&
      !workspaceIpAllowed(list, options.guardIp)
    ) {
      problems.push(
        inputProblem('/ipAllowlist/workspace', 'locks-you-out', {
          en: `does not admit your own address ${options.guardIp}`,
          'zh-CN': `不包含您当前的地址 ${options.guardIp}`,
        }),
      );
    }
    if (problems.length > 0) throw invalidInput(problems);
  }
}

function cidrProblem(pointer: string) {
  return inputProblem(pointer, 'cidr', {
    en: 'must be an IP address or a CIDR block (10.0.0.0/8, 2001:db8::/32)',
    'zh-CN': '必须是 IP 地址或 CIDR 网段（如 10.0.0.0/8、2001:db8::/32）',
  });
}
