import { hash, parseOptions, verify } from '@node-rs/argon2';

/** argon2id cost parameters (memory in KiB). */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's recommended argon2id setting: 19 MiB, 2 passes, 1 lane (~50 ms here). */
export const OWASP_ARGON2ID: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Passwords longer than this are refused before hashing, so a huge one cannot tie up the server. */
export const MAX_PASSWORD_LENGTH = 256;

/** argon2id hashes (PHC strings, salt included); the library's default algorithm is argon2id. */
export class PasswordHasher {
  #dummy: Promise<string> | undefined;

  constructor(readonly cost: PasswordHashing = OWASP_ARGON2ID) {}

  hash(password: string): Promise<string> {
    return hash(password, { ...this.cost });
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false; // not a hash this library reads: no password matches it
    }
  }

  /**
   * Spends the time of a real check on a password nobody has, so a login for an unknown or
   * disabled user takes as long as one for a real user and does not tell which usernames exist.
   */
  async verifyNothing(password: string): Promise<void> {
    this.#dummy ??= this.hash('no user has this password');
    await this.verify(await this.#dummy, password);
  }

  /** Whether a stored hash was made with other parameters than today's (rehash on next login). */
  needsRehash(stored: string): boolean {
    try {
      const used = parseOptions(stored);
      return (
        used.memoryCost !== this.cost.memoryCost ||
        used.timeCost !== this.cost.timeCost ||
        used.parallelism !== this.cost.parallelism
      );
    } catch {
      return true;
    }
  }
}
