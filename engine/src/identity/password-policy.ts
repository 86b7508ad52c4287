import type { Problem } from '../errors.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';

/** What a password must have; kept in the workspace's settings. */
export interface PasswordPolicy {
  minLength: number;
  /** At least one letter (any script). */
  letters: boolean;
  digits: boolean;
  uppercase: boolean;
  lowercase: boolean;
  /** At least one character that is neither a letter nor a digit. */
  symbols: boolean;
  /** Must not equal the username (ignoring case). */
  notUsername: boolean;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 10,
  letters: true,
  digits: true,
  uppercase: false,
  lowercase: false,
  symbols: false,
  notUsername: true,
};

interface Requirement {
  applies: (policy: PasswordPolicy) => boolean;
  met: (password: string, policy: PasswordPolicy, username: string) => boolean;
  code: string;
  messages: (policy: PasswordPolicy) => { en: string; 'zh-CN': string };
}

const REQUIREMENTS: Requirement[] = [
  {
    applies: () => true,
    met: (p, policy) => [...p].length >= policy.minLength,
    code: 'minLength',
    messages: (policy) => ({
      en: `must be at least ${policy.minLength} characters`,
      'zh-CN': `至少 ${policy.minLength} 个字符`,
    }),
  },
  {
    applies: () => true,
    met: (p) => [...p].length <= MAX_PASSWORD_LENGTH,
    code: 'maxLength',
    messages: () => ({
      en: `must be at most ${MAX_PASSWORD_LENGTH} characters`,
      'zh-CN': `最多 ${MAX_PASSWORD_LENGTH} 个字符`,
    }),
  },
  {
    applies: (policy) => policy.letters,
    met: (p) => /\p{L}/u.test(p),
    code: 'letters',
    messages: () => ({ en: 'must contain a letter', 'zh-CN': '必须包含字母' }),
  },
  {
    applies: (policy) => policy.digits,
    met: (p) => /\p{Nd}/u.test(p),
    code: 'digits',
    messages: () => ({ en: 'must contain a digit', 'zh-CN': '必须包含数字' }),
  },
  {
    applies: (policy) => policy.uppercase,
    met: (p) => /\p{Lu}/u.test(p),
    code: 'uppercase',
    messages: () => ({ en: 'must contain an uppercase letter', 'zh-CN': '必须包含大写字母' }),
  },
  {
    applies: (policy) => policy.lowercase,
    met: (p) => /\p{Ll}/u.test(p),
    code: 'lowercase',
    messages: () => ({ en: 'must contain a lowercase letter', 'zh-CN': '必须包含小写字母' }),
  },
  {
    applies: (policy) => policy.symbols,
    met: (p) => /[^\p{L}\p{N}]/u.test(p),
    code: 'symbols',
    messages: () => ({ en: 'must contain a symbol', 'zh-CN': '必须包含符号' }),
  },
  {
    applies: (policy) => policy.notUsername,
    met: (p, _policy, username) => p.toLowerCase() !== username.toLowerCase(),
    code: 'sameAsUsername',
    messages: () => ({ en: 'must not be the username', 'zh-CN': '不能与用户名相同' }),
  },
];

/** Every requirement `password` misses, as problems at `pointer` (English message, zh-CN and en messages). */
export function passwordProblems(
  password: string,
  policy: PasswordPolicy,
  username: string,
  pointer = '/password',
): Problem[] {
  return REQUIREMENTS.filter((r) => r.applies(policy) && !r.met(password, policy, username)).map((r) => {
    const messages = r.messages(policy);
    return { pointer, code: `password.${r.code}`, message: messages.en, messages };
  });
}
