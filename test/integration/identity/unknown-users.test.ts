import { PasswordHasher } from '@crm/engine';
import { expect, it } from 'vitest';
import { FAST_PASSWORD_HASHING, forEachDatabase } from '../../support/engines.ts';

/** Counts argon2 verifications: the work that makes a login attempt take its time. */
class CountingHasher extends PasswordHasher {
  verifications = 0;

  override async verify(stored: string, password: string): Promise<boolean> {
    this.verifications++;
    return super.verify(stored, password);
  }
}

const hasher = new CountingHasher(FAST_PASSWORD_HASHING);

forEachDatabase(
  'logins of unknown users',
  (handle) => {
    it('cost one argon2 check, like a wrong password, so response times do not tell which usernames exist', async () => {
      const { users, logins } = handle().workspace.identity;
      await users.create({ username: 'real', displayName: 'Real', password: 'Real-pass-123' });
      const gone = await users.create({ username: 'gone', displayName: 'Gone', password: 'Real-pass-123' });
      await users.leave(gone.id);
      await users.create({ username: 'no.password', displayName: 'No password' });
      const work = async (username: string) => {
        const before = hasher.verifications;
        const outcome = await logins.login({ username, password: 'Wrong-pass-123' }, {});
        expect(outcome, username).toEqual({ ok: false, reason: 'invalid-credentials' });
        return hasher.verifications - before;
      };
      expect(await work('real')).toBe(1);
      expect(await work('nobody')).toBe(1);
      expect(await work('gone')).toBe(1);
      expect(await work('no.password')).toBe(1);
    });
  },
  { identity: { passwordHasher: hasher } },
);
