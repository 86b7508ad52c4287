import { DEFAULT_PASSWORD_POLICY, Identity, type PasswordPolicy, passwordProblems } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, loginAs } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { rawRows } from '../../support/sql.ts';

const codes = (password: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY, username = 'someone') =>
  passwordProblems(password, policy, username).map((p) => p.code);

describe('the password policy', () => {
  it('wants 10 characters with letters and digits by default, not the username', () => {
    expect(codes('abc123')).toEqual(['password.minLength']);
    expect(codes('abcdefghijk')).toEqual(['password.digits']);
    expect(codes('12345678901')).toEqual(['password.letters']);
    expect(codes('密码安全的一二三四五6')).toEqual([]); // letters of any script count
    expect(codes('Someone123', DEFAULT_PASSWORD_POLICY, 'someone123')).toEqual(['password.sameAsUsername']);
    expect(codes('x1'.repeat(200))).toEqual(['password.maxLength']);
  });

  it('can ask for upper and lower case and symbols, and says so in English and Chinese', () => {
    const strict = {
      ...DEFAULT_PASSWORD_POLICY,
      minLength: 12,
      uppercase: true,
      lowercase: true,
      symbols: true,
    };
    const problems = passwordProblems('abcdefgh1', strict, 'x');
    expect(problems.map((p) => p.code)).toEqual([
      'password.minLength',
      'password.uppercase',
      'password.symbols',
    ]);
    expect(problems[0]).toMatchObject({
      pointer: '/password',
      message: 'must be at least 12 characters',
      messages: { en: 'must be at least 12 characters', 'zh-CN': '至少 12 个字符' },
    });
    expect(problems.every((p) => p.messages?.['zh-CN'])).toBe(true);
    expect(codes('Abcdefgh1!xy', strict)).toEqual([]);
  });
});

forEachDatabase('passwords', (handle) => {
  let admin: ApiClient;
  let userId = '';

  beforeAll(async () => {
    admin = apiClient(handle());
    const created = await admin.post<{ id: string; hasPassword: boolean }>('/api/org/users', {
      username: 'pw.user',
      displayName: 'PW',
      password: 'Initial-pass-1',
    });
    expect(created.status).toBe(201);
    expect(created.body.hasPassword).toBe(true);
    userId = created.body.id;
  });

  it('are stored as argon2id hashes, never as sent', async () => {
    const { schema } = handle().workspace;
    const [row] = await rawRows(
      handle().engine,
      `SELECT password_hash FROM "${schema}"._users WHERE username = 'pw.user'`,
    );
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(String(row.password_hash)).not.toContain('Initial-pass-1');
  });

  it('are checked against the policy when set, with pointers and localized messages', async () => {
    const weak = expectProblem(
      await admin.post('/api/org/users', { username: 'weak', displayName: 'W', password: 'weak' }),
      422,
      ['/password'],
    );
    expect(weak.errors.map((e) => e.code)).toEqual([
      'password.minLength',
      'password.digits',
      'password.sameAsUsername',
    ]);
    expect(weak.errors[0].messages).toEqual({
      en: 'must be at least 10 characters',
      'zh-CN': '至少 10 个字符',
    });
    expectProblem(await admin.post(`/api/org/users/${userId}/password`, { password: 'pw.user' }), 422, [
      '/password',
    ]);
  });

  it('follow the policy in the workspace settings', async () => {
    const saved = await admin.patch<{ passwordPolicy: PasswordPolicy }>('/api/org/security', {
      passwordPolicy: { minLength: 14, symbols: true },
    });
    expect(saved.body.passwordPolicy).toMatchObject({
      minLength: 14,
      symbols: true,
      letters: true,
      digits: true,
    });
    const problem = expectProblem(
      await admin.post(`/api/org/users/${userId}/password`, { password: 'Abcdefgh12' }),
      422,
    );
    expect(problem.errors.map((e) => e.code)).toEqual(['password.minLength', 'password.symbols']);
    expectProblem(await admin.patch('/api/org/security', { passwordPolicy: { minLength: 4 } }), 422, [
      '/passwordPolicy/minLength',
    ]);
    expectProblem(
      await admin.patch('/api/org/security', { passwordPolicy: { minLength: 10, reuse: 3 } }),
      422,
      ['/passwordPolicy/reuse'],
    );
    await admin.patch('/api/org/security', { passwordPolicy: DEFAULT_PASSWORD_POLICY });
  });

  it('an admin sets one: the user sessions end and any lockout lifts', async () => {
    const before = await loginAs(handle(), 'pw.user', 'Initial-pass-1');
    expect(
      (await admin.post(`/api/org/users/${userId}/password`, { password: 'Reset-by-admin-2' })).status,
    ).toBe(204);
    expectProblem(await before.api.get('/api/auth/me'), 401);
    expect((await loginAs(handle(), 'pw.user', 'Reset-by-admin-2')).response.status).toBe(200);
  });

  it('a user changes their own, proving the current one; their other sessions end', async () => {
    const here = await loginAs(handle(), 'pw.user', 'Reset-by-admin-2');
    const elsewhere = await loginAs(handle(), 'pw.user', 'Reset-by-admin-2');
    expectProblem(
      await here.api.post('/api/auth/password', {
        currentPassword: 'wrong-one-1',
        newPassword: 'Changed-myself-3',
      }),
      422,
      ['/currentPassword'],
    );
    expectProblem(
      await here.api.post('/api/auth/password', {
        currentPassword: 'Reset-by-admin-2',
        newPassword: 'short',
      }),
      422,
      ['/newPassword'],
    );
    const changed = await here.api.post('/api/auth/password', {
      currentPassword: 'Reset-by-admin-2',
      newPassword: 'Changed-myself-3',
    });
    expect(changed.status).toBe(204);
    expect((await here.api.get('/api/auth/me')).status).toBe(200);
    expectProblem(await elsewhere.api.get('/api/auth/me'), 401);
    expectProblem(
      await apiClient(handle(), { auth: 'none' }).post('/api/auth/login', {
        username: 'pw.user',
        password: 'Reset-by-admin-2',
      }),
      401,
    );
    expect((await loginAs(handle(), 'pw.user', 'Changed-myself-3')).response.status).toBe(200);
  });

  it('guessing the current password through a session counts towards the lockout', async () => {
    const { api } = await loginAs(handle(), 'pw.user', 'Changed-myself-3');
    for (let i = 0; i < 5; i++) {
      await api.post('/api/auth/password', {
        currentPassword: `guess-${i}-x`,
        newPassword: 'Whatever-pass-9',
      });
    }
    const locked = await api.post('/api/auth/password', {
      currentPassword: 'Changed-myself-3',
      newPassword: 'Whatever-pass-9',
    });
    expect(locked.status).toBe(409);
    expect((await admin.post(`/api/org/users/${userId}/unlock`)).status).toBe(200);
  });

  it('are re-hashed with the current cost after a login with an older one', async () => {
    const { engine, workspace } = handle();
    // the same workspace as a server with other hashing parameters sees it
    const older = new Identity(engine.db, workspace.id, workspace.schema, {
      passwordHashing: { memoryCost: 2048, timeCost: 1, parallelism: 1 },
    });
    const user = await older.users.create({
      username: 'old.hash',
      displayName: 'Old',
      password: 'Old-hash-pass-1',
    });
    const hashOf = async () =>
      (
        await rawRows(
          engine,
          `SELECT password_hash FROM "${workspace.schema}"._users WHERE id = '${user.id}'`,
        )
      )[0].password_hash;
    expect(await hashOf()).toMatch(/m=2048,t=1,p=1/);
    const credentials = { username: 'old.hash', password: 'Old-hash-pass-1' };
    expect((await workspace.identity.logins.login(credentials, {})).ok).toBe(true);
    expect(await hashOf()).toMatch(/m=1024,t=1,p=1/);
    expect((await older.logins.login(credentials, {})).ok).toBe(true);
    const empty = await engineError(workspace.identity.users.setPassword(user.id, { password: '' }));
    expect(empty.problems[0].pointer).toBe('/password');
  });
});
